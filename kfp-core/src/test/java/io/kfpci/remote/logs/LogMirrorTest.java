package io.kfpci.remote.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kfpci.artifacts.TaskPod;
import io.kfpci.remote.RemoteWatchState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The live log path against fabric8's mock API server in expectations mode: the log endpoint is
 * answered with exactly what a kubelet sends (RFC 3339 nano timestamps, several lines in one
 * second), a stream that ends mid-way while the pod still runs, and a pod deleted during the watch.
 */
@EnableKubernetesMockClient
class LogMirrorTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  static final String NS = "team-a";
  static final String POD = "wf-system-container-impl-111";
  static final String BASE = "/api/v1/namespaces/" + NS + "/pods/" + POD;

  static final class Collect implements LogSink {
    final List<String> out = new ArrayList<>();

    @Override
    public void line(LogLine line) {
      out.add(line.format());
    }

    @Override
    public void notice(String task, String message) {
      out.add("! [" + task + "] " + message);
    }
  }

  static Pod pod(String phase) {
    return new PodBuilder().withNewMetadata().withName(POD).withNamespace(NS).endMetadata()
        .withNewStatus().withPhase(phase).endStatus().build();
  }

  static String log(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  static String logPath(String since, boolean follow) {
    return BASE + "/log?pretty=false&container=main" + (since == null ? "" : "&sinceTime=" + since)
        + "&timestamps=true" + (follow ? "&follow=true" : "");
  }

  @Test
  void aStreamThatDropsMidWayIsResumedFromItsLastSecondWithoutRepeatingALine() throws Exception {
    TaskPod train = new TaskPod("for-loop-2[1]/train", 1, 6, POD, NS, null);
    // First stream: ends after two of the three lines stamped 10:00:01 (a drop), pod still running.
    server.expect().get().withPath(logPath(null, true)).andReturn(200, log(
        "2026-11-28T10:00:00.5Z epoch 1",
        "2026-11-28T10:00:01.000000001Z loss 0.9",
        "2026-11-28T10:00:01.000000001Z loss 0.8")).once();
    server.expect().get().withPath(BASE).andReturn(200, pod("Running")).once();
    // Reconnect from the last second: the kubelet repeats that second's lines.
    server.expect().get().withPath(logPath("2026-11-28T10:00:01Z", true)).andReturn(200, log(
        "2026-11-28T10:00:01.000000001Z loss 0.9",
        "2026-11-28T10:00:01.000000001Z loss 0.8",
        "2026-11-28T10:00:01.000000001Z loss 0.7",
        "2026-11-28T10:00:02.25Z done")).once();
    server.expect().get().withPath(BASE).andReturn(200, pod("Succeeded")).once();
    // The final read after the container ended brings nothing new.
    server.expect().get().withPath(logPath("2026-11-28T10:00:02Z", false)).andReturn(200, log(
        "2026-11-28T10:00:02.25Z done")).once();
    Collect sink = new Collect();

    Map<String, LogCursor> cursors = new LogMirror(new PodLogs(client), List.of(), sink, Duration.ZERO)
        .follow("run-1", List.of(train), Map.of());

    assertThat(sink.out).containsExactly(
        "[for-loop-2[1]/train #1] epoch 1",
        "[for-loop-2[1]/train #1] loss 0.9",
        "[for-loop-2[1]/train #1] loss 0.8",
        "[for-loop-2[1]/train #1] loss 0.7",
        "[for-loop-2[1]/train #1] done");
    assertThat(cursors).containsExactly(Map.entry("for-loop-2[1]/train #1",
        new LogCursor(Instant.parse("2026-11-28T10:00:02.25Z"), 1, 5, true)));
  }

  @Test
  void aResumedPollNeitherRepeatsNorLosesALineAndAPodDeletedDuringTheWatchEndsInItsArchive() throws Exception {
    TaskPod train = new TaskPod("train", 0, 2, POD, NS, null);
    server.expect().get().withPath(logPath(null, false)).andReturn(200, log(
        "2026-11-28T10:00:00Z one",
        "2026-11-28T10:00:00Z two")).once();
    server.expect().get().withPath(BASE).andReturn(200, pod("Running")).once();
    // The next poll comes from a new process with the saved cursor; the pod was deleted meanwhile.
    server.expect().get().withPath(logPath("2026-11-28T10:00:00Z", false)).andReturn(404,
        "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}").once();
    List<String> asked = new ArrayList<>();
    ArchivedLogSource missing = new ArchivedLogSource() {
      public String name() {
        return "the API server's main-logs artifact";
      }

      public Optional<byte[]> read(String runId, TaskPod pod) {
        asked.add(name() + " " + runId + " " + pod.podName());
        return Optional.empty();
      }
    };
    ArchivedLogSource archive = new ArchivedLogSource() {
      public String name() {
        return "main.log in the object store";
      }

      public Optional<byte[]> read(String runId, TaskPod pod) {
        asked.add(name() + " " + runId + " " + pod.podName());
        return Optional.of("one\ntwo\nthree\r\nfour\n".getBytes(StandardCharsets.UTF_8));
      }
    };
    Collect sink = new Collect();

    Map<String, LogCursor> first = new LogMirror(new PodLogs(client), List.of(missing, archive), sink, Duration.ZERO)
        .poll("run-1", List.of(train), Map.of());
    assertThat(first).containsExactly(Map.entry("train", new LogCursor(Instant.parse("2026-11-28T10:00:00Z"), 2, 2, false)));
    // The cursors travel through the saved remote watch state, as a resumed `kfpci watch` reads them.
    Map<String, LogCursor> saved = RemoteWatchState.fromJson(
        RemoteWatchState.initial("kfp", "run-1").withLogCursors(first).toJson()).logCursors();
    assertThat(saved).isEqualTo(first);
    Map<String, LogCursor> second = new LogMirror(new PodLogs(client), List.of(missing, archive), sink, Duration.ZERO)
        .poll("run-1", List.of(train), saved);

    assertThat(sink.out).containsExactly("[train] one", "[train] two", "[train] three", "[train] four");
    assertThat(asked).containsExactly("the API server's main-logs artifact run-1 " + POD,
        "main.log in the object store run-1 " + POD);
    assertThat(second.get("train")).isEqualTo(new LogCursor(Instant.parse("2026-11-28T10:00:00Z"), 2, 4, true));
  }

  @Test
  void aCacheHitSaysSoAndAGonePodWithoutArchiveSaysWhatWasTried() throws Exception {
    TaskPod cached = new TaskPod("prepare", 0, 7, null, null, "42");
    TaskPod gone = new TaskPod("train", 0, 2, POD, NS, null);
    server.expect().get().withPath(logPath(null, false)).andReturn(404,
        "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}").once();
    Collect sink = new Collect();

    Map<String, LogCursor> cursors = new LogMirror(new PodLogs(client), List.of(), sink, Duration.ZERO)
        .poll("run-1", List.of(cached, gone), Map.of());

    assertThat(sink.out).containsExactly(
        "! [prepare] served from cache (execution 42): it ran no pod and has no log",
        "! [train] pod " + POD + " is gone and no archived log was found (no archive configured)");
    assertThat(cursors.values()).allMatch(LogCursor::done);
  }

  @Test
  void aPodDeletedWhileItsLogIsFollowedEndsWithTheRestFromTheArchive() throws Exception {
    TaskPod score = new TaskPod("for-loop-2[0]/score", 0, 9, POD, NS, null);
    server.expect().get().withPath(logPath(null, true)).andReturn(200, log(
        "2026-11-28T10:00:00Z a",
        "2026-11-28T10:00:00Z b")).once();
    // The stream ends because Argo deleted the pod: it is not found any more.
    server.expect().get().withPath(BASE).andReturn(404, "{\"kind\":\"Status\",\"code\":404}").once();
    ArchivedLogSource archive = new ArchivedLogSource() {
      public String name() {
        return "archive";
      }

      public Optional<byte[]> read(String runId, TaskPod pod) {
        return Optional.of("a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
      }
    };
    Collect sink = new Collect();

    Map<String, LogCursor> cursors = new LogMirror(new PodLogs(client), List.of(archive), sink, Duration.ZERO)
        .follow("run-1", List.of(score), Map.of());

    assertThat(sink.out).containsExactly("[for-loop-2[0]/score] a", "[for-loop-2[0]/score] b", "[for-loop-2[0]/score] c");
    assertThat(cursors.get("for-loop-2[0]/score")).isEqualTo(
        new LogCursor(Instant.parse("2026-11-28T10:00:00Z"), 2, 3, true));
  }
}
