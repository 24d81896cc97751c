import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.kfpci.artifacts.TaskPod;
import io.kfpci.remote.logs.LogLine;
import io.kfpci.remote.logs.LogMirror;
import io.kfpci.remote.logs.LogSink;
import io.kfpci.remote.logs.PodLogs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Lines per second and write-to-print delay through kfpci's log path (PodLogs + LogMirror.follow:
 * timestamps parsed, de-duplication, task labels) for one pod writing N lines, against a plain
 * fabric8 watchLog read of the same stream in the same run (the peer). The "kubelet" is a local
 * HTTP server answering the pod and log endpoints; each line carries its write time (System.nanoTime
 * of this JVM), so the delay is measured exactly. Usage: java LogMirrorBench.java [lines] [rounds]
 */
public final class LogMirrorBench {
  static final String NS = "bench";
  static final String POD = "bench-wf-system-container-impl-1";
  static final Instant BASE = Instant.parse("2026-11-28T10:00:00Z");
  static volatile int lines;

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", LogMirrorBench::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
        .withNamespace(NS).withRequestRetryBackoffLimit(0).build();
    double[] ours = new double[rounds];
    double[] peer = new double[rounds];
    double[] oursP99 = new double[rounds];
    double[] peerP99 = new double[rounds];
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      measureOurs(client, Math.min(total, 20_000)); // warm-up of both paths
      measurePeer(client, Math.min(total, 20_000));
      for (int r = 0; r < rounds; r++) {
        double[] a;
        double[] b;
        if (r % 2 == 0) {
          a = measureOurs(client, total);
          b = measurePeer(client, total);
        } else {
          b = measurePeer(client, total);
          a = measureOurs(client, total);
        }
        ours[r] = a[0];
        oursP99[r] = a[1];
        peer[r] = b[0];
        peerP99[r] = b[1];
        System.out.printf("round %d: ours %.0f lines/s (p99 delay %.3f s), plain fabric8 %.0f lines/s (p99 delay %.3f s)%n",
            r + 1, a[0], a[1], b[0], b[1]);
      }
    } finally {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
    double mo = median(ours);
    double mp = median(peer);
    System.out.printf("median: ours %.0f lines/s, plain fabric8 %.0f lines/s: ratio %.2fx; p99 delay ours %.3f s,"
        + " plain %.3f s (targets: >= 50000 lines/s, p99 <= 2 s)%n", mo, mp, mo / mp, median(oursP99), median(peerP99));
    System.out.printf("%d lines per round; %d cores, load average %.1f%n", total, Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** [lines/s, p99 delay in s] of kfpci's path. */
  static double[] measureOurs(KubernetesClient client, int n) throws Exception {
    long[] delays = new long[n];
    int[] count = {0};
    LogSink sink = new LogSink() {
      @Override
      public void line(LogLine line) {
        if (count[0] < n) {
          delays[count[0]++] = System.nanoTime() - written(line.text());
        }
      }

      @Override
      public void notice(String task, String message) {
        throw new IllegalStateException(task + ": " + message);
      }
    };
    lines = n;
    long start = System.nanoTime();
    new LogMirror(new PodLogs(client), List.of(), sink, Duration.ofMillis(10))
        .follow("run-1", List.of(new TaskPod("train", 0, 1, POD, NS, null)), Map.of());
    long elapsed = System.nanoTime() - start;
    if (count[0] != n) {
      throw new IllegalStateException("ours mirrored " + count[0] + " lines of " + n);
    }
    return new double[] {n / (elapsed / 1e9), p99(delays)};
  }

  /** [lines/s, p99 delay in s] of a plain fabric8 follow read, line by line. */
  static double[] measurePeer(KubernetesClient client, int n) throws Exception {
    long[] delays = new long[n];
    int count = 0;
    lines = n;
    long start = System.nanoTime();
    try (LogWatch watch = client.pods().inNamespace(NS).withName(POD).inContainer("main").withReadyWaitTimeout(0)
        .usingTimestamps().watchLog();
        BufferedReader reader = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (count < n) {
          delays[count++] = System.nanoTime() - written(line.substring(line.indexOf(' ') + 1));
        }
      }
    }
    long elapsed = System.nanoTime() - start;
    if (count != n) {
      throw new IllegalStateException("the peer read " + count + " lines of " + n);
    }
    return new double[] {n / (elapsed / 1e9), p99(delays)};
  }

  static long written(String text) {
    return Long.parseLong(text.substring(0, text.indexOf(' ')));
  }

  static double p99(long[] delays) {
    long[] sorted = delays.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e9;
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** The pod (always ended: the log is complete once its stream ends) and its log, from sinceTime on. */
  static void handle(HttpExchange ex) {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
      if (path.equals("/api/v1/namespaces/" + NS + "/pods/" + POD)) {
        byte[] pod = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + POD + "\",\"namespace\":\"" + NS
            + "\"},\"status\":{\"phase\":\"Succeeded\"}}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, pod.length);
        ex.getResponseBody().write(pod);
        return;
      }
      if (path.equals("/api/v1/namespaces/" + NS + "/pods")) {
        // fabric8's readiness look-up before a follow: the pod has ended.
        byte[] list = ("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\""
            + POD + "\",\"namespace\":\"" + NS + "\"},\"status\":{\"phase\":\"Succeeded\"}}]}")
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, list.length);
        ex.getResponseBody().write(list);
        return;
      }
      if (!path.equals("/api/v1/namespaces/" + NS + "/pods/" + POD + "/log")) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      int from = 0;
      for (String p : query.split("&")) {
        if (p.startsWith("sinceTime=")) {
          Instant since = Instant.parse(URLDecoder.decode(p.substring(10), StandardCharsets.UTF_8));
          from = (int) Math.max(0, Duration.between(BASE, since).toMillis());
        }
      }
      int n = lines;
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      StringBuilder batch = new StringBuilder(64 * 1024);
      for (int i = from; i < n; i++) {
        // One line per millisecond of log time, so a reconnect's second holds at most 1000 lines.
        batch.append(BASE.plusMillis(i)).append(' ').append(System.nanoTime()).append(" step ").append(i)
            .append(" loss=0.").append(i % 997).append('\n');
        if (batch.length() > 16 * 1024 || i == n - 1) {
          out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
          out.flush();
          batch.setLength(0);
        }
      }
    } catch (java.io.IOException e) {
      // The client closed the stream: nothing to serve.
    }
  }
}
