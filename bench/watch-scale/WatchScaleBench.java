import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.PipelinePackage;
import io.kfpci.client.PipelineUploader;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.remote.RunPoller;
import io.kfpci.remote.RunTracker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches N concurrent runs on the KFP API emulator with one RunPoller and prints the threads the
 * client uses, the API calls per poll cycle, the peak heap, and the ratio of our calls to the KFP
 * SDK's pattern (one GET per run every 5 s, wait_for_run_completion) over the same wall time.
 *
 * Modes: {@code serve STEP_MILLIS} (the emulator, in its own JVM so its heap is not counted) and
 * {@code watch URL N PIPELINE.yaml}.
 */
public final class WatchScaleBench {
  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("serve")) {
      KfpEmulator kfp = KfpEmulator.builder().port(0).checkResponses(false)
          .runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(Long.parseLong(args[1])))).start();
      System.out.println("URL " + kfp.baseUrl());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
    if (args.length < 4 || !args[0].equals("watch")) {
      System.err.println("usage: WatchScaleBench serve STEP_MILLIS | watch URL N PIPELINE.yaml");
      System.exit(2);
    }
    URI url = URI.create(args[1]);
    int n = Integer.parseInt(args[2]);
    Path file = Path.of(args[3]);
    try (KfpClient client = KfpClient.connect(KfpConnection.builder(url).callTimeout(Duration.ofMinutes(5))
        .readTimeout(Duration.ofMinutes(2)).build())) {
      PipelinePackage pkg = PipelinePackage.of(file.getFileName().toString(), Files.readAllBytes(file));
      PipelineUploader.Result up = new PipelineUploader(client).upload(pkg, "watch-scale", "bench-" + pkg.hash8(), null);
      String experiment = client.experiment("watch-scale").experimentId();
      List<String> ids = new ArrayList<>();
      long createStart = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ids.add(client.createRunOnce(new KfpApi.CreateRunRequest(experiment, "scale-" + i, null,
            new KfpApi.PipelineVersionReference(up.pipeline().pipelineId(), up.version().pipelineVersionId()), null,
            new KfpApi.RuntimeConfig(Map.of(), null), null)).runId());
      }
      double createSeconds = (System.nanoTime() - createStart) / 1e9;
      System.gc();
      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long callsBefore = client.callCount();
      AtomicInteger peakThreads = new AtomicInteger();
      AtomicLong events = new AtomicLong();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          int ours = (int) Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
              .filter(name -> name.startsWith("kfp-http-") || name.startsWith("kfp-run-poller")
                  || name.contains("SelectorManager"))
              .count();
          peakThreads.accumulateAndGet(ours, Math::max);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "bench-sampler");
      sampler.setDaemon(true);
      sampler.start();
      long watchStart = System.nanoTime();
      Set<String> tasks = RunTracker.taskNames(pkg.pipelineSpec());
      RunPoller.Stats stats;
      int succeeded = 0;
      try (RunPoller poller = RunPoller.standard(client)) {
        List<CompletableFuture<RunPoller.Result>> all = new ArrayList<>();
        for (String id : ids) {
          all.add(poller.watch(RemoteWatchState.initial("bench", id), tasks, (r, ev, s) -> events.addAndGet(ev.size())));
        }
        for (CompletableFuture<RunPoller.Result> f : all) {
          if (f.get(30, TimeUnit.MINUTES).state().runState().isSuccess()) {
            succeeded++;
          }
        }
        stats = poller.stats();
      }
      double watchSeconds = (System.nanoTime() - watchStart) / 1e9;
      sampler.interrupt();
      long ourCalls = client.callCount() - callsBefore;
      long peakHeap = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      long sdkCalls = (long) n * (long) Math.ceil(watchSeconds / 5.0);
      System.out.printf("runs watched          %d (%d succeeded), created in %.1f s, watched to completion in %.1f s%n",
          n, succeeded, createSeconds, watchSeconds);
      System.out.printf("client threads (peak) %d: 2 HTTP workers, the JDK HTTP selector, 1 poller  (target <= 4)%n",
          peakThreads.get());
      System.out.printf("poll cycles           %d; API calls per cycle: max %d, mean %.2f  (target <= ceil(N/100)+2 = %d)%n",
          stats.cycles(), stats.maxCallsPerCycle(), stats.calls() / (double) Math.max(1, stats.cycles()),
          (n + 99) / 100 + 2);
      System.out.printf("peak heap (client JVM) %.1f MB, max heap %.0f MB  (target <= 256 MB)%n", peakHeap / 1048576.0,
          Runtime.getRuntime().maxMemory() / 1048576.0);
      System.out.printf("API calls             ours %d; KFP SDK pattern (1 GET per run per 5 s over %.0f s) %d; ratio %.4f%n",
          ourCalls, watchSeconds, sdkCalls, ourCalls / (double) sdkCalls);
      System.out.printf("events                %d%n", events.get());
    }
    System.exit(0);
  }
}
