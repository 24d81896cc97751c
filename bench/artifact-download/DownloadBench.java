import io.kfpci.artifacts.ArtifactDownloader;
import io.kfpci.artifacts.DownloadReport;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.report.ArtifactSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One large object served by S3Proxy (filesystem store) from its own JVM on localhost, fetched by
 * kfpci's ArtifactDownloader (MinIO SDK, streamed to disk with SHA-256; once as one GET, once as
 * parallel ranged GETs) and by curl (to disk), the order rotating round by round after one warm-up
 * round. Prints each throughput, the medians and their ratio to curl's, the CPU each client and
 * the server spent per GiB, and the peak heap of our downloads.
 * Usage: java -cp <kfp-core test classpath> DownloadBench.java [MiB] [rounds]
 */
public final class DownloadBench {
  private static final String BUCKET = "mlpipeline";
  private static final String KEY = "v2/artifacts/bench/run-1/train/0000/model";

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path work = Files.createTempDirectory("kfpci-download-bench");
    Process server = null;
    try {
      Path base = Files.createDirectories(work.resolve("store"));
      Path object = Files.createDirectories(base.resolve(BUCKET).resolve(KEY).getParent()).resolve("model");
      generate(object, mib);
      long size = Files.size(object);
      int port = freePort();
      String endpoint = "http://127.0.0.1:" + port;
      server = startServer(work, base, endpoint);
      ArtifactSummary artifact = new ArtifactSummary("model", "system.Model", "minio://" + BUCKET + "/" + KEY, null,
          -1, null, Map.of(), "train");
      ObjectStoreOptions.Builder options = ObjectStoreOptions.builder().endpoint(endpoint).maxArtifactBytes(size + 1);
      // One GET with the digest on a second thread (parallelism 1), and the default: parallel
      // ranged GETs, as kfpci downloads an object from 64 MiB on.
      ObjectStoreOptions oneStream = options.parallelism(1).build();
      ObjectStoreOptions ranged = options.parallelism(4).build();
      System.out.printf("object: %d MiB from S3Proxy (filesystem store, own JVM) at %s; 1 warm-up + %d rounds,"
          + " order rotating%n", mib, endpoint, rounds);
      // curl alone is the peer the target is set against; curl piped through sha256sum does the
      // same work as ours (every byte written and hashed), so both are shown.
      List<String> names = List.of("curl", "ours, one GET", "ours, ranged", "curl | sha256sum");
      int contestants = names.size();
      List<List<Sample>> samples = new ArrayList<>();
      for (int i = 0; i < contestants; i++) {
        samples.add(new ArrayList<>());
      }
      long peakHeap = 0;
      try (ArtifactDownloader single = new ArtifactDownloader(oneStream);
          ArtifactDownloader parallel = new ArtifactDownloader(ranged)) {
        for (int round = 0; round <= rounds; round++) {
          Sample[] got = new Sample[contestants];
          for (int turn = 0; turn < contestants; turn++) {
            int who = (round + turn) % contestants;
            Path target = Files.createDirectories(work.resolve("out-" + round + "-" + who));
            if (who == 0 || who == 3) {
              got[who] = curl(server, endpoint, target.resolve("model"), size, who == 3);
            } else {
              System.gc();
              for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
              }
              got[who] = ours(server, who == 1 ? single : parallel, artifact, target, size);
              if (round > 0) {
                peakHeap = Math.max(peakHeap, heapPeak());
              }
            }
            deleteTree(target);
          }
          StringBuilder line = new StringBuilder(round == 0 ? "warm-up:" : "round " + round + ":");
          for (int who = 0; who < contestants; who++) {
            line.append(String.format("  %s %4.0f MiB/s (cpu/GiB %.2fs + server %.2fs)", names.get(who),
                got[who].mibPerSecond(), got[who].clientCpuPerGib(), got[who].serverCpuPerGib()));
            if (round > 0) {
              samples.get(who).add(got[who]);
            }
          }
          System.out.println(line.append(String.format("  load %.2f", load())));
        }
      }
      double curl = median(samples.get(0).stream().map(Sample::mibPerSecond).toList());
      double sameWork = median(samples.get(3).stream().map(Sample::mibPerSecond).toList());
      for (int who = 0; who < contestants; who++) {
        List<Sample> list = samples.get(who);
        double speed = median(list.stream().map(Sample::mibPerSecond).toList());
        System.out.printf("median %-18s %4.0f MiB/s  ratio to curl %.2fx, to curl | sha256sum %.2fx  cpu/GiB %.2fs,"
            + " server %.2fs%n", names.get(who) + ":", speed, speed / curl, speed / sameWork,
            median(list.stream().map(Sample::clientCpuPerGib).toList()),
            median(list.stream().map(Sample::serverCpuPerGib).toList()));
      }
      System.out.printf("ours and curl | sha256sum hash every byte; curl alone only writes the file%n");
      System.out.printf("peak heap during our downloads: %.1f MiB (-Xmx %d MiB); object %d MiB%n",
          peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576, mib);
      System.out.printf("machine: %d cores, load average %.2f%n", Runtime.getRuntime().availableProcessors(), load());
    } finally {
      if (server != null) {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
      deleteTree(work);
    }
  }

  /** One download: throughput, and the CPU seconds per GiB of the downloader and of the server. */
  private record Sample(double mibPerSecond, double clientCpuPerGib, double serverCpuPerGib) {
    static Sample of(long bytes, long nanos, long clientCpuNanos, long serverCpuNanos) {
      double gib = bytes / (1024.0 * 1024 * 1024);
      return new Sample(bytes / 1048576.0 / (nanos / 1e9), clientCpuNanos / 1e9 / gib, serverCpuNanos / 1e9 / gib);
    }
  }

  private static Sample curl(Process server, String endpoint, Path file, long size, boolean hashed) throws Exception {
    long serverCpu = cpu(server);
    long start = System.nanoTime();
    // sh's `times` prints the CPU time of its children (curl) on its second line.
    String fetch = hashed ? "curl -sSf \"$2\" | tee \"$1\" | sha256sum >/dev/null" : "curl -sSf -o \"$1\" \"$2\"";
    Process p = new ProcessBuilder("sh", "-c", fetch + " && times", "sh", file.toString(),
        endpoint + "/" + BUCKET + "/" + KEY).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("curl failed (exit " + p.exitValue() + "): is the server up?");
    }
    long elapsed = System.nanoTime() - start;
    long serverUsed = cpu(server) - serverCpu;
    if (Files.size(file) != size) {
      throw new IllegalStateException("curl fetched " + Files.size(file) + " of " + size + " bytes");
    }
    String[] lines = out.strip().split("\n");
    String[] children = lines[lines.length - 1].trim().split("\\s+");
    long curlCpu = shTime(children[0]) + shTime(children[1]);
    return Sample.of(size, elapsed, curlCpu, serverUsed);
  }

  private static Sample ours(Process server, ArtifactDownloader downloader, ArtifactSummary artifact, Path target,
      long size) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long serverCpu = cpu(server);
    long ownCpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    DownloadReport report = downloader.download("run-1", List.of(artifact), target);
    long elapsed = System.nanoTime() - start;
    long ownUsed = os.getProcessCpuTime() - ownCpu;
    long serverUsed = cpu(server) - serverCpu;
    if (report.downloaded().get(0).artifact().size() != size) {
      throw new IllegalStateException("short download: " + report.downloaded().get(0).artifact().size());
    }
    return Sample.of(size, elapsed, ownUsed, serverUsed);
  }

  /** "0m1.234s" (sh's `times`) in nanoseconds. */
  private static long shTime(String value) {
    int m = value.indexOf('m');
    double seconds = Integer.parseInt(value.substring(0, m)) * 60 + Double.parseDouble(value.substring(m + 1,
        value.length() - 1));
    return (long) (seconds * 1e9);
  }

  private static long cpu(Process process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
  }

  private static long heapPeak() {
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    return heap;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Pseudo-random bytes (seed 42), so neither side can benefit from compression or sparse files. */
  private static void generate(Path object, int mib) throws IOException {
    byte[] buffer = new byte[1 << 20];
    SplittableRandom random = new SplittableRandom(42);
    try (OutputStream out = Files.newOutputStream(object)) {
      for (int i = 0; i < mib; i++) {
        random.nextBytes(buffer);
        out.write(buffer);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * S3Proxy's own main in a second JVM on this classpath, so the server does not share our JVM's
   * heap, GC and JIT threads (curl never did).
   */
  private static Process startServer(Path work, Path base, String endpoint) throws Exception {
    Path conf = work.resolve("s3proxy.conf");
    Files.writeString(conf, "s3proxy.endpoint=" + endpoint + "\ns3proxy.authorization=none\n"
        + "jclouds.provider=filesystem\njclouds.filesystem.basedir=" + base + "\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
    String logback = System.getProperty("logback.configurationFile");
    if (logback != null) {
      command.add("-Dlogback.configurationFile=" + logback);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.gaul.s3proxy.Main", "--properties",
        conf.toString()));
    Process server = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("s3proxy.log").toFile()).start();
    for (int i = 0; i < 600; i++) {
      if (!server.isAlive()) {
        throw new IllegalStateException("S3Proxy exited with " + server.exitValue() + ":\n"
            + Files.readString(work.resolve("s3proxy.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':')
            + 1))), 200);
        return server;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    server.destroyForcibly();
    throw new IllegalStateException("S3Proxy did not listen at " + endpoint + " within 60 s:\n"
        + Files.readString(work.resolve("s3proxy.log")));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
