package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run spec file the Jenkins plugin writes for LocalRunnerMain. */
class LocalRunSpecTest {
  @TempDir Path dir;

  @Test
  void aSpecRoundTripsThroughItsJsonForm() throws Exception {
    LocalRunSpec spec = LocalRunSpec.builder().pipeline(dir.resolve("p.yaml")).parameters(Map.of("n", "3"))
        .pipelineRoot(dir.resolve("runs")).runId("build-42").noCache(true).parallelism(3).engine(Engine.PODMAN)
        .strictResources(true).python("python3.11").cacheDirectory(dir.resolve("cache")).build();
    Path file = Files.writeString(dir.resolve("spec.json"), spec.toJson());

    LocalRunSpec read = LocalRunSpec.read(file);

    assertThat(read.pipeline()).isEqualTo(dir.resolve("p.yaml").toAbsolutePath());
    assertThat(read.parameters()).containsExactly(Map.entry("n", "3"));
    assertThat(read.runId()).isEqualTo("build-42");
    assertThat(read.noCache()).isTrue();
    assertThat(read.parallelism()).isEqualTo(3);
    assertThat(read.engine()).isEqualTo(Engine.PODMAN);
    assertThat(read.strictResources()).isTrue();
    assertThat(read.python()).isEqualTo("python3.11");
  }

  @Test
  void typedJsonParametersBecomeTheTextTheCliWouldPass() throws Exception {
    Path file = Files.writeString(dir.resolve("spec.json"),
        "{\"pipeline\": \"p.yaml\", \"parameters\": {\"n\": 3, \"ok\": true, \"items\": [1, 2], \"s\": \"x\"}}");

    assertThat(LocalRunSpec.read(file).parameters())
        .containsExactly(Map.entry("n", "3"), Map.entry("ok", "true"), Map.entry("items", "[1,2]"), Map.entry("s", "x"));
  }

  @Test
  void secretParamsAndInheritEnvRoundTripAndAreChecked() throws Exception {
    LocalRunSpec spec = LocalRunSpec.builder().pipeline(dir.resolve("p.yaml")).secretParameters(java.util.List.of("a",
        "b", "a")).inheritEnvironment(true).build();
    Path file = Files.writeString(dir.resolve("spec.json"), spec.toJson());

    LocalRunSpec read = LocalRunSpec.read(file);
    assertThat(read.secretParameters()).containsExactly("a", "b");
    assertThat(read.inheritEnvironment()).isTrue();
    assertThat(LocalRunSpec.read(Files.writeString(dir.resolve("d.json"), "{\"pipeline\": \"p.yaml\"}"))
        .secretParameters()).isEmpty();
    Path notArray = Files.writeString(dir.resolve("e.json"), "{\"pipeline\": \"p.yaml\", \"secret_params\": \"a\"}");
    assertThatThrownBy(() -> LocalRunSpec.read(notArray)).isInstanceOf(LocalRunException.class)
        .hasMessage(notArray + ": 'secret_params' must be an array of parameter names");
    Path wrongEnv = Files.writeString(dir.resolve("f.json"), "{\"pipeline\": \"p.yaml\", \"inherit_env\": 1}");
    assertThatThrownBy(() -> LocalRunSpec.read(wrongEnv)).hasMessage(wrongEnv + ": 'inherit_env' must be true or false");
  }

  @Test
  void mistakesNameTheKey() throws Exception {
    Path unknown = Files.writeString(dir.resolve("a.json"), "{\"pipeline\": \"p.yaml\", \"paralellism\": 2}");
    Path wrongType = Files.writeString(dir.resolve("b.json"), "{\"pipeline\": \"p.yaml\", \"no_cache\": \"yes\"}");
    Path badId = Files.writeString(dir.resolve("c.json"), "{\"pipeline\": \"p.yaml\", \"run_id\": \"../x\"}");

    assertThatThrownBy(() -> LocalRunSpec.read(unknown)).isInstanceOf(LocalRunException.class)
        .hasMessageContaining("unknown key 'paralellism'");
    assertThatThrownBy(() -> LocalRunSpec.read(wrongType)).hasMessageContaining("'no_cache' must be true or false");
    assertThatThrownBy(() -> LocalRunSpec.read(badId)).hasMessageContaining("run id '../x'");
  }
}
