package io.kfpci.bench;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kfpci.ir.PipelineLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * How loading grows with one very long line (a description, then a comment): kfpci's loader
 * against Jackson's YAML tree parse of the same text, in the same run. Linear loading costs 4x
 * the time for 4x the size, quadratic 16x; the loader once was quadratic (an 8 MiB line took
 * over a minute). Prints, per kind, the best of five of each size for both sides, each side's
 * growth and the loader's time over the peer's.
 */
public final class LongLines {
  private static final String PIPELINE = String.join("\n",
      "components:",
      "  comp-hello:",
      "    executorLabel: exec-hello",
      "deploymentSpec:",
      "  executors:",
      "    exec-hello:",
      "      container: {image: alpine, command: [echo, hi]}",
      "pipelineInfo:",
      "  name: hello",
      "root:",
      "  dag:",
      "    tasks:",
      "      hello:",
      "        componentRef: {name: comp-hello}",
      "        taskInfo: {name: hello}",
      "schemaVersion: 2.1.0",
      "sdkVersion: kfp-2.17.3",
      "");

  private LongLines() {}

  public static void main(String[] args) throws Exception {
    int small = 2 << 20;
    int large = 8 << 20;
    // SnakeYAML's default limit (3 MiB of code points) would refuse the 8 MiB document.
    LoaderOptions limits = new LoaderOptions();
    limits.setCodePointLimit(64 << 20);
    YAMLMapper peer = new YAMLMapper(YAMLFactory.builder().loaderOptions(limits).build());
    for (String kind : List.of("description", "comment")) {
      byte[] warm = text(kind, 1 << 20);
      PipelineLoader.load("long.yaml", warm);
      peer.readTree(warm);
      long oursSmall = bestOfFive(() -> PipelineLoader.load("long.yaml", text(kind, small)));
      long oursLarge = bestOfFive(() -> PipelineLoader.load("long.yaml", text(kind, large)));
      long peerSmall = bestOfFive(() -> peer.readTree(text(kind, small)));
      long peerLarge = bestOfFive(() -> peer.readTree(text(kind, large)));
      System.out.printf("long %s line: kfpci 2 MiB %.0f ms, 8 MiB %.0f ms, growth %.2f (linear 4, quadratic 16)%n",
          kind, oursSmall / 1e6, oursLarge / 1e6, (double) oursLarge / oursSmall);
      System.out.printf("long %s line: Jackson YAML 2 MiB %.0f ms, 8 MiB %.0f ms, growth %.2f%n",
          kind, peerSmall / 1e6, peerLarge / 1e6, (double) peerLarge / peerSmall);
      System.out.printf("long %s line: kfpci / Jackson YAML at 8 MiB: %.2fx the time%n", kind,
          (double) oursLarge / peerLarge);
    }
  }

  private static byte[] text(String kind, int size) {
    String line = kind.equals("description")
        ? "  description: " + "x".repeat(size) + "\n"
        : "  # " + "x".repeat(size) + "\n";
    return PIPELINE.replace("  name: hello\n", "  name: hello\n" + line).getBytes(StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  private interface Load {
    void run() throws Exception;
  }

  private static long bestOfFive(Load load) throws Exception {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc(); // no round pays for the garbage of the one before
      long start = System.nanoTime();
      load.run();
      best = Math.min(best, System.nanoTime() - start);
    }
    return best;
  }
}
