import io.kfpci.artifacts.ArtifactDownloader;
import io.kfpci.artifacts.DownloadReport;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.report.ArtifactSummary;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * One large object served by S3Proxy (filesystem store) on localhost, fetched by kfpci's
 * ArtifactDownloader (MinIO SDK, streamed to disk with SHA-256) and by curl, interleaved round by
 * round. Prints each throughput, the median ratio ours/curl and the peak heap of our downloads.
 * Usage: java DownloadBench.java [MiB] [rounds]
 */
public final class DownloadBench {
  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createTempDirectory("kfpci-download-bench");
    Path base = Files.createDirectories(work.resolve("store"));
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", base.toString());
    BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(props).build(BlobStoreContext.class);
    context.getBlobStore().createContainerInLocation(null, "mlpipeline");
    String key = "v2/artifacts/bench/run-1/train/0000/model";
    Path object = Files.createDirectories(base.resolve("mlpipeline/v2/artifacts/bench/run-1/train/0000")).resolve("model");
    byte[] buffer = new byte[1 << 20];
    SplittableRandom random = new SplittableRandom(42);
    try (OutputStream out = Files.newOutputStream(object)) {
      for (int i = 0; i < mib; i++) {
        for (int j = 0; j < buffer.length; j += 8) {
          long v = random.nextLong();
          for (int k = 0; k < 8; k++) {
            buffer[j + k] = (byte) (v >>> (8 * k));
          }
        }
        out.write(buffer);
      }
    }
    long size = Files.size(object);
    S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.NONE, null, null).build();
    proxy.start();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      Thread.sleep(10);
    }
    String endpoint = "http://127.0.0.1:" + proxy.getPort();
    ArtifactSummary artifact = new ArtifactSummary("model", "system.Model", "minio://mlpipeline/" + key, null, -1,
        null, Map.of(), "train");
    ObjectStoreOptions options = ObjectStoreOptions.builder().endpoint(endpoint).maxArtifactBytes(size + 1).build();
    List<Double> ours = new ArrayList<>();
    List<Double> curl = new ArrayList<>();
    long peakHeap = 0;
    System.out.printf("object: %d MiB from S3Proxy (filesystem store) at %s; %d rounds, interleaved%n", mib, endpoint,
        rounds);
    try (ArtifactDownloader downloader = new ArtifactDownloader(options)) {
      for (int round = 0; round < rounds; round++) {
        boolean curlFirst = round % 2 == 0;
        for (int turn = 0; turn < 2; turn++) {
          Path target = work.resolve("out-" + round + "-" + turn);
          if (curlFirst == (turn == 0)) {
            Files.createDirectories(target);
            long start = System.nanoTime();
            Process p = new ProcessBuilder("curl", "-sSf", "-o", target.resolve("model").toString(),
                endpoint + "/mlpipeline/" + key).inheritIO().start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
              throw new IllegalStateException("curl failed");
            }
            curl.add(mibPerSecond(size, System.nanoTime() - start));
          } else {
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
              pool.resetPeakUsage();
            }
            long start = System.nanoTime();
            DownloadReport report = downloader.download("run-1", List.of(artifact), target);
            long elapsed = System.nanoTime() - start;
            if (report.downloaded().get(0).artifact().size() != size) {
              throw new IllegalStateException("short download");
            }
            ours.add(mibPerSecond(size, elapsed));
            long heap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
              if (pool.getType() == MemoryType.HEAP) {
                heap += pool.getPeakUsage().getUsed();
              }
            }
            peakHeap = Math.max(peakHeap, heap);
          }
          deleteTree(target);
        }
        System.out.printf("round %d: ours %.0f MiB/s, curl %.0f MiB/s%n", round + 1, ours.get(round), curl.get(round));
      }
    } finally {
      proxy.stop();
      context.close();
      deleteTree(work);
    }
    double medianOurs = median(ours);
    double medianCurl = median(curl);
    System.out.printf("median: ours %.0f MiB/s (with SHA-256), curl %.0f MiB/s: ratio %.2fx%n", medianOurs,
        medianCurl, medianOurs / medianCurl);
    System.out.printf("peak heap during our downloads: %.1f MiB (-Xmx %d MiB); object %d MiB%n",
        peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576, mib);
    System.out.printf("machine: %d cores, load average %.2f%n", Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static double mibPerSecond(long bytes, long nanos) {
    return bytes / 1048576.0 / (nanos / 1e9);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
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
