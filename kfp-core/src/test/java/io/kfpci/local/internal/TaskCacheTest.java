package io.kfpci.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache entry is a file on disk like any other: one whose artifact names a local path outside the
 * pipeline's runs, or a part the run-time name rule (the validator's KFP013) refuses, is a miss.
 */
class TaskCacheTest {
  @TempDir Path root;

  private TaskCache cacheHolding(String uri) throws Exception {
    TaskCache cache = new TaskCache(root);
    Files.createDirectories(cache.directory());
    String entry = "{\"task_id\":\"t\",\"output_parameters\":{},\"artifacts\":[{\"name\":\"model\",\"type\":"
        + "\"system.Model\",\"schema_version\":\"0.0.1\",\"uri\":\"" + uri + "\",\"metadata\":{}}]}";
    Files.writeString(cache.directory().resolve("fp.json"), entry, StandardCharsets.UTF_8);
    return cache;
  }

  @Test
  void anEntryWhoseArtifactPathTheNameRuleRefusesIsAMiss() throws Exception {
    String plain = root.resolve("r1/loop[2]/t/model").toString();
    assertThat(cacheHolding(plain).lookup("fp", "t2")).as(plain).isPresent()
        .get().satisfies(o -> assertThat(o.outputArtifacts().get("model").get(0).uri()).isEqualTo(plain));
    assertThat(cacheHolding("gs://bucket/a:b/model").lookup("fp", "t2")).as("remote").isPresent();

    for (String uri : List.of(root.resolve("r1/t/model:stream").toString(), root.resolve("r1/. ./model").toString(),
        root + "/r1/../r1/t/model", "C:/Users/model", "c://model", "/etc/passwd", "file:///etc/passwd",
        "relative/model")) {
      assertThat(cacheHolding(uri).lookup("fp", "t2")).as(uri).isEmpty();
    }
  }
}
