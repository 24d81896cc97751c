package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kfp.KfpSettings;
import io.jenkins.plugins.kfp.PluginClassesAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpCompile}'s agent call with the real kfp compiler: a second build with the same
 * pipeline takes its IR from the agent's compile cache, byte for byte, and a changed pipeline is
 * compiled again.
 */
class AgentCompileTest {
  @TempDir Path workspace;

  @Test
  void anUnchangedPipelineComesFromTheCompileCacheAndAChangedOneIsCompiledAgain() throws Exception {
    Path source = workspace.resolve("slow_pipeline.py");
    // A comment unique to this test run keeps earlier runs' cache entries out of the first compile.
    Files.writeString(source, Files.readString(PluginClassesAccess.repoRoot()
        .resolve("kfp-core/src/test/resources/io/kfpci/monitor/slow_pipeline.py")) + "\n# " + workspace + "\n");
    KfpSettings settings = new KfpSettings("", "", "", "");

    AgentCompile.Outcome first = new AgentCompile("slow_pipeline.py", "", "", settings).invoke(workspace.toFile(), null);
    byte[] compiled = Files.readAllBytes(workspace.resolve("slow_pipeline.yaml"));
    Files.delete(workspace.resolve("slow_pipeline.yaml"));
    AgentCompile.Outcome second = new AgentCompile("slow_pipeline.py", "", "", settings).invoke(workspace.toFile(), null);

    assertThat(first.fromCache()).isFalse();
    assertThat(first.output()).isEqualTo("slow_pipeline.yaml");
    assertThat(first.errors()).isZero();
    assertThat(second.fromCache()).isTrue();
    assertThat(Files.readAllBytes(workspace.resolve("slow_pipeline.yaml"))).isEqualTo(compiled);

    Files.writeString(source, Files.readString(source).replace("def ", "\ndef "));
    AgentCompile.Outcome changed = new AgentCompile("slow_pipeline.py", "", "", settings).invoke(workspace.toFile(), null);
    assertThat(changed.fromCache()).isFalse();
  }
}
