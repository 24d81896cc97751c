package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.local.internal.PythonEnvironments;
import io.kfpci.process.ProcessResult;
import io.kfpci.process.Processes;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's private Python environment over the shared kfp venv: its own prefix, the shared
 * packages visible, its pip wrapper running its own interpreter, whatever its path holds.
 */
class PrivateEnvironmentTest {
  @TempDir Path root;

  @Test
  void thePrivateEnvironmentIsItsOwnPrefixAndSeesTheSharedPackages() throws Exception {
    Venv shared = new PythonEnvironments(new VenvManager(LocalPipelines.PYTHON)).venvFor(List.of());
    Path dir = root.resolve("it's a \"task\" $(dir)").resolve("venv");

    Path own = PythonEnvironments.privateEnvironment(shared, dir);
    PythonEnvironments.privateEnvironment(shared, dir); // an earlier attempt's is replaced

    assertThat(own).isEqualTo(dir);
    Map<String, String> env = Map.of("PATH", own.resolve("bin") + java.io.File.pathSeparator + System.getenv("PATH"),
        "VIRTUAL_ENV", own.toString());
    ProcessResult python = Processes.run(List.of(own.resolve("bin/python3").toString(), "-c",
        "import sys, kfp; print(sys.prefix); print(kfp.__version__)"), root, env, Duration.ofMinutes(1), "python");
    assertThat(python.succeeded()).as(python.tail(10)).isTrue();
    assertThat(python.stdout().lines().toList()).containsExactly(own.toString(),
        io.kfpci.python.PythonSettings.DEFAULT_KFP_VERSION);

    String quoted = "'" + own.resolve("bin/python").toString().replace("'", "'\\''") + "'";
    assertThat(own.resolve("bin/pip")).hasContent("#!/bin/sh\nexec " + quoted + " -m pip \"$@\"\n");
    ProcessResult pip = Processes.run(List.of(own.resolve("bin/pip").toString(), "--version"), root, env,
        Duration.ofMinutes(1), "pip");
    assertThat(pip.succeeded()).as(pip.tail(10)).isTrue();
    assertThat(pip.stdout()).as("the shared venv's pip module").contains(shared.directory().toString());
    assertThat(Files.isSymbolicLink(own.resolve("bin/python"))).isTrue();
  }
}
