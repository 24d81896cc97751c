package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.RuntimeState;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live path of {@code kfpci watch --mlmd --kubeconfig}: a task's pod is Running and its log
 * grows while the watch follows it. A dispatcher in front of a mock Kubernetes API serves the pod
 * and the lines written so far, honouring {@code sinceTime} as the kubelet does (whole seconds), and
 * the test writes the next line only once a read has served the previous ones: every line must be
 * printed once, in order, with its task. No sleep synchronises anything; the waits are for the
 * watch's own reads, each bounded so a broken watch fails the test instead of hanging it.
 */
class RemoteLiveFollowTest {
  private static final String GROWING = "seed-run1-system-container-impl-222";

  @TempDir Path dir;
  private KfpEmulator kfp;
  private MlmdStoreProcess mlmd;
  private MockWebServer cluster;

  @AfterEach
  void stop() throws Exception {
    if (kfp != null) {
      kfp.close();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
    if (mlmd != null) {
      mlmd.close();
    }
  }

  /** The mock cluster's state: the growing pod's lines so far, and whether its container ended. */
  private static final class Pods extends Dispatcher {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition served = lock.newCondition();
    private final List<String> written = new ArrayList<>();
    /** The query of each read of the growing log, in order. */
    private final List<String> reads = new ArrayList<>();
    private int servedUpTo = -1;
    private boolean ended;

    void write(String line) {
      lock.lock();
      try {
        written.add(line);
      } finally {
        lock.unlock();
      }
    }

    void end() {
      lock.lock();
      try {
        ended = true;
      } finally {
        lock.unlock();
      }
    }

    List<String> reads() {
      lock.lock();
      try {
        return List.copyOf(reads);
      } finally {
        lock.unlock();
      }
    }

    /** Waits until a read of the growing log has served every line written so far. */
    void awaitServed() throws InterruptedException {
      lock.lock();
      try {
        long left = TimeUnit.MINUTES.toNanos(2);
        while (servedUpTo < written.size()) {
          if (left <= 0) {
            fail("the watch never read " + GROWING + "'s log after line " + written.size() + " was written");
          }
          left = served.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      String prefix = "/api/v1/namespaces/kubeflow/pods/";
      if (!"GET".equals(request.getMethod()) || !path.startsWith(prefix)) {
        return new MockResponse().setResponseCode(404);
      }
      String rest = path.substring(prefix.length());
      int query = rest.indexOf('?');
      String resource = query < 0 ? rest : rest.substring(0, query);
      String pod = resource.endsWith("/log") ? resource.substring(0, resource.length() - 4) : resource;
      List<String> lines = switch (pod) {
        case GROWING -> null;
        case "seed-run1-system-container-impl-333" -> List.of("2026-11-28T10:00:02Z evaluating");
        case "seed-run1-system-container-impl-444" -> List.of("2026-11-28T10:00:03Z score 0");
        case "seed-run1-system-container-impl-555" -> List.of("2026-11-28T10:00:03Z score 1");
        default -> List.of();
      };
      lock.lock();
      try {
        boolean growing = lines == null;
        if (!resource.endsWith("/log")) {
          String phase = growing && !ended ? "Running" : "Succeeded";
          return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
              .setBody("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + pod
                  + "\",\"namespace\":\"kubeflow\"},\"status\":{\"phase\":\"" + phase + "\"}}");
        }
        List<String> all = growing ? List.copyOf(written) : lines;
        Instant since = sinceTime(query < 0 ? "" : rest.substring(query + 1));
        StringBuilder body = new StringBuilder();
        for (String line : all) {
          Instant at = Instant.parse(line.substring(0, line.indexOf(' ')));
          if (since == null || !at.truncatedTo(ChronoUnit.SECONDS).isBefore(since)) {
            body.append(line).append('\n');
          }
        }
        if (growing) {
          reads.add(query < 0 ? "" : rest.substring(query + 1));
          servedUpTo = Math.max(servedUpTo, all.size());
          served.signalAll();
        }
        return new MockResponse().setResponseCode(200).setBody(body.toString());
      } finally {
        lock.unlock();
      }
    }

    private static Instant sinceTime(String query) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("sinceTime=")) {
          return Instant.parse(URLDecoder.decode(pair.substring("sinceTime=".length()), StandardCharsets.UTF_8));
        }
      }
      return null;
    }
  }

  @Test
  void aGrowingLogIsPrintedOnceInOrderWhileThePodRuns() throws Exception {
    ScriptedRunExecutor argo = ScriptedRunExecutor.manual();
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(argo));
    Path pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
    CliRun submitted = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "-p", "rows=5",
        "--output", "json");
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    String runId = new ObjectMapper().readTree(submitted.out()).get("run_id").asText();
    mlmd = MlmdStoreProcess.startWithLauncherRun(dir, runId);
    String address = mlmd.address();
    Pods pods = new Pods();
    cluster = new MockWebServer();
    cluster.setDispatcher(pods);
    cluster.start();
    Path kubeconfig = MockKubeconfig.write(dir, cluster.url("/").toString(), "kubeflow");
    argo.advance(runId); // RUNNING: the run stays there until the log is complete

    CompletableFuture<CliRun> watch = CompletableFuture.supplyAsync(() -> CliRun.of("watch", runId, "--endpoint",
        kfp.baseUrl().toString(), "--mlmd", address, "--kubeconfig", kubeconfig.toString(),
        "--pipeline-root", dir.resolve("runs").toString()));
    // Two lines share a second: the reconnect asks from that second and must skip what it printed.
    List<String> lines = List.of("2026-11-28T10:00:00Z epoch 1", "2026-11-28T10:00:01Z epoch 2",
        "2026-11-28T10:00:01.5Z epoch 3", "2026-11-28T10:00:02Z accuracy=0.93");
    pods.awaitServed(); // the watch follows the pod before it wrote anything
    for (String line : lines) {
      pods.write(line);
      pods.awaitServed();
    }
    pods.end();
    assertThat(argo.advanceToEnd(runId)).isEqualTo(RuntimeState.SUCCEEDED);
    CliRun done = watch.get(5, TimeUnit.MINUTES);

    assertThat(done.exitCode()).as(done.out() + done.err()).isZero();
    List<String> train = done.out().lines().filter(l -> l.startsWith("[train] ") && !l.startsWith("[train] -- "))
        .toList();
    assertThat(train).containsExactly("[train] epoch 1", "[train] epoch 2", "[train] epoch 3", "[train] accuracy=0.93");
    assertThat(done.out().lines().filter(l -> l.startsWith("[") && !l.contains("] -- ") && !l.startsWith("[train] ")
        && !l.startsWith("[preprocess] (")).toList()).containsExactlyInAnyOrder("[evaluate] evaluating",
        "[for-loop-2[0]/score] score 0", "[for-loop-2[1]/score] score 1");
    assertThat(done.out()).contains("run " + runId + " SUCCEEDED");
    // The log was read again on each pass while the pod ran, each time from the last line's second.
    List<String> reads = pods.reads();
    assertThat(reads.size()).isGreaterThan(lines.size());
    assertThat(reads.get(0)).as(reads.toString()).doesNotContain("sinceTime");
    assertThat(reads).anySatisfy(q -> assertThat(URLDecoder.decode(q, StandardCharsets.UTF_8))
        .contains("sinceTime=2026-11-28T10:00:01Z"));
  }
}
