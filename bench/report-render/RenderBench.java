import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.SummaryFixtures;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Renders the run report of a generated run (500 pipeline tasks, 2,000 loop iterations, 12,400
 * task executions). There is no peer that does the same work (see README.md): as a reference for
 * scale, not a peer, it times in the same JVM Jackson writing the same summary as JSON
 * (RunSummaryJson.toJson), which every run pays anyway. Prints the first
 * (cold) call of each, wall clock and the calling thread's CPU time (on a loaded machine the
 * wall clock mostly measures waiting for a core), the medians of warm calls, and their ratio.
 *
 * Run it with ./run beside this file. Arguments: [rounds] (default 15).
 */
public class RenderBench {
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    RunSummary run = SummaryFixtures.generated(380, 20, 100, 5, 42);

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    String page = RunReportPage.render(run, List.of());
    double coldRender = ms(System.nanoTime() - wall);
    double coldRenderCpu = ms(threads.getCurrentThreadCpuTime() - cpu);
    cpu = threads.getCurrentThreadCpuTime();
    wall = System.nanoTime();
    String json = RunSummaryJson.toJson(run);
    double coldJson = ms(System.nanoTime() - wall);
    double coldJsonCpu = ms(threads.getCurrentThreadCpuTime() - cpu);

    List<Double> render = new ArrayList<>();
    List<Double> jackson = new ArrayList<>();
    // Interleaved, so that drift (GC, other load on the machine) hits both alike.
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      RunReportPage.render(run, List.of());
      render.add(ms(System.nanoTime() - t));
      t = System.nanoTime();
      RunSummaryJson.toJson(run);
      jackson.add(ms(System.nanoTime() - t));
    }
    double r = median(render);
    double j = median(jackson);
    System.out.printf(Locale.ROOT, "run: %d task executions, %d pipeline tasks, page %.2f MB, summary JSON %.2f MB%n",
        run.tasks().size(), 500, page.getBytes(StandardCharsets.UTF_8).length / 1e6,
        json.getBytes(StandardCharsets.UTF_8).length / 1e6);
    System.out.printf(Locale.ROOT, "first call (cold JVM): render %.0f ms (%.0f ms CPU), Jackson toJson %.0f ms (%.0f ms CPU)%n",
        coldRender, coldRenderCpu, coldJson, coldJsonCpu);
    System.out.printf(Locale.ROOT, "median of %d warm calls: render %.1f ms, Jackson toJson %.1f ms%n", rounds, r, j);
    System.out.printf(Locale.ROOT, "ratio render / Jackson toJson (a reference for scale; no peer renders this page): %.2f%n",
        r / j);
    System.out.printf(Locale.ROOT, "machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
        loadAverage());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
