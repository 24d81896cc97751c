package io.kfpci.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {

  @Test
  void capturesOutputExitCodeAndEnvironment() throws Exception {
    ProcessResult result = Processes.run(List.of("sh", "-c", "echo \"out $KFPCI_TEST\"; echo err >&2; exit 3"),
        null, Map.of("KFPCI_TEST", "value"), Duration.ofMinutes(1), "a shell");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.stdout()).isEqualTo("out value\n");
    assertThat(result.tail(5)).isEqualTo("err");
  }

  @Test
  void timeoutKillsTheWholeProcessTree(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("grandchild.pid");
    // The shell starts a grandchild and waits for it: killing only the shell would orphan it.
    String script = "sleep 600 & echo $! > " + pidFile + "; wait";

    ProcessTimeoutException e = catchThrowableOfType(ProcessTimeoutException.class, () -> Processes.run(
        List.of("sh", "-c", script), dir, Map.of(), Duration.ofSeconds(2), "the sleeper"));

    assertThat(e.getMessage()).isEqualTo("the sleeper did not finish within 2 s and was stopped");
    assertThat(e.isRetryable()).isTrue();
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    Optional<ProcessHandle> grandchild = ProcessHandle.of(pid);
    assertThat(grandchild.map(ProcessHandle::isAlive)).as("grandchild %d", pid).isNotEqualTo(Optional.of(true));
  }
}
