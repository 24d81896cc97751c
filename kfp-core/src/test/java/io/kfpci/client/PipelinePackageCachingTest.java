package io.kfpci.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.testing.RepoPaths;
import io.kfpci.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run with caching turned off (kfpci submit --no-cache, kfpRun enableCaching: false): every task
 * of real compiled pipelines, in the root DAG and in every sub-DAG, has its cache disabled; the
 * result is still a valid pipeline with its platform spec, and the original is untouched.
 */
class PipelinePackageCachingTest {
  private static PipelinePackage corpus(String name) throws Exception {
    Path file = RepoPaths.requireSharedCorpus().resolve("valid").resolve(name);
    return PipelinePackage.of(name, Files.readAllBytes(file));
  }

  /** "component/task" → enableCache of every task of every DAG ({@code root} for the root DAG). */
  private static List<String> caching(JsonNode spec) {
    List<String> out = new ArrayList<>();
    spec.path("root").path("dag").path("tasks").fields().forEachRemaining(t ->
        out.add("root/" + t.getKey() + "=" + t.getValue().path("cachingOptions").path("enableCache").asBoolean(false)));
    spec.path("components").fields().forEachRemaining(c ->
        c.getValue().path("dag").path("tasks").fields().forEachRemaining(t -> out.add(c.getKey() + "/" + t.getKey()
            + "=" + t.getValue().path("cachingOptions").path("enableCache").asBoolean(false))));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"nested_with_parameters.yaml", "pipeline_with_nested_loops.yaml",
      "pipeline_with_loops_and_conditions.yaml"})
  void everyTaskOfEveryDagHasItsCacheTurnedOff(String name) throws Exception {
    PipelinePackage compiled = corpus(name);
    List<String> before = caching(compiled.pipelineSpec());

    PipelinePackage off = compiled.withCachingDisabled();

    List<String> after = caching(off.pipelineSpec());
    assertThat(before).as("the corpus pipeline caches some sub-DAG task").anyMatch(t -> !t.startsWith("root/")
        && t.endsWith("=true"));
    assertThat(after).hasSameSizeAs(before).allMatch(t -> t.endsWith("=false"));
    assertThat(after.stream().map(t -> t.substring(0, t.indexOf('='))).toList())
        .isEqualTo(before.stream().map(t -> t.substring(0, t.indexOf('='))).toList());
    // What is uploaded is what was changed: read back from its bytes, it is the same spec.
    PipelinePackage reread = PipelinePackage.of(name, off.content());
    assertThat(reread.pipelineSpec()).isEqualTo(off.pipelineSpec());
    assertThat(reread.sha256()).isEqualTo(off.sha256()).isNotEqualTo(compiled.sha256());
    assertThat(Validator.validate(PipelineLoader.load(name, off.content())).errorCount()).isZero();
    assertThat(caching(compiled.pipelineSpec())).isEqualTo(before);
    assertThat(caching(PipelinePackage.of(name, compiled.content()).pipelineSpec())).isEqualTo(before);
  }

  @Test
  void thePlatformSpecTravelsWithTheChangedPipeline() throws Exception {
    PipelinePackage compiled = corpus("pipeline_with_volume.yaml");

    PipelinePackage reread = PipelinePackage.of("p.yaml", compiled.withCachingDisabled().content());

    assertThat(compiled.platformSpec()).isNotNull();
    assertThat(reread.platformSpec()).isEqualTo(compiled.platformSpec());
    assertThat(reread.pipelineName()).isEqualTo(compiled.pipelineName());
  }
}
