package io.kfpci.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.RunMetadataReader;
import io.kfpci.remote.logs.LogCursor;
import io.kfpci.remote.logs.LogLine;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The failure side of one observation pass, which needs no store: a store that cannot be reached
 * and a cluster that cannot be opened are each warned about once per distinct message, the cursors
 * pass through untouched and in order, and the console sink formats lines and notices as the CLI
 * does. (The plugin's RemoteRunsObservationTest drives passes against the real ML Metadata store.)
 */
class ObservationPassTest {
  private static RunMetadataReader unreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    return RunMetadataReader.open(MetadataStoreOptions.builder().address("127.0.0.1:" + port)
        .callDeadline(Duration.ofSeconds(5)).build());
  }

  @Test
  void anUnreachableStoreIsWarnedAboutOnceAndTheCursorsStay() throws Exception {
    Map<String, LogCursor> cursors = new LinkedHashMap<>();
    cursors.put("train", new LogCursor(Instant.parse("2026-11-28T10:00:00Z"), 1, 2, false));
    cursors.put("evaluate", LogCursor.START.finished());
    try (RunMetadataReader reader = unreachable()) {
      ObservationPass.Result first = ObservationPass.run(reader, null, "run-1", cursors, ObservationPass.Failures.NONE,
          null);
      assertThat(first.metadata()).isNull();
      assertThat(first.cursors()).containsExactlyEntriesOf(cursors);
      assertThat(first.warnings()).singleElement().asString().startsWith("metrics and artifacts unavailable for now: ");
      assertThat(first.failures().metadata()).isNotBlank();
      assertThat(first.failures().logs()).isNull();

      ObservationPass.Result second = ObservationPass.run(reader, null, "run-1", first.cursors(), first.failures(),
          null);
      assertThat(second.warnings()).isEmpty();
      assertThat(second.failures()).isEqualTo(first.failures());
    }
  }

  @Test
  void aClusterThatCannotBeOpenedIsWarnedAboutOnce() throws Exception {
    try (RunMetadataReader reader = unreachable()) {
      ObservationPass.Result first = ObservationPass.run(reader, null, "run-1", Map.of(), ObservationPass.Failures.NONE,
          "no such context: prod");
      assertThat(first.warnings()).hasSize(2).first().asString()
          .isEqualTo("the tasks' pods cannot be reached, logs come from the archives once each task ends: "
              + "no such context: prod");
      assertThat(first.failures().cluster()).isEqualTo("no such context: prod");

      ObservationPass.Result second = ObservationPass.run(reader, null, "run-1", Map.of(), first.failures(),
          "no such context: prod");
      assertThat(second.warnings()).isEmpty();
      ObservationPass.Result other = ObservationPass.run(reader, null, "run-1", Map.of(), second.failures(),
          "token expired");
      assertThat(other.warnings()).singleElement().asString().endsWith(": token expired");
    }
  }

  @Test
  void theConsoleSinkShowsLinesAndNoticesUnderTheirTask() {
    List<String> out = new ArrayList<>();
    ObservationPass.console(out::add).line(new LogLine("for-loop-2[1]/score", null, "score 1"));
    ObservationPass.console(out::add).notice("preprocess", "served from cache (execution 7): it ran no pod");
    assertThat(out).containsExactly("[for-loop-2[1]/score] score 1",
        "[preprocess] (served from cache (execution 7): it ran no pod)");
  }
}
