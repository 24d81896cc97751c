package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.ir.proto.ComponentOutputsSpec;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.PipelineContainerSpec;
import io.kfpci.report.RuntimeState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Execution cache of one pipeline: {@code <pipeline-root>/<pipeline>/.cache/<fingerprint>.json},
 * one file per successful cacheable execution, holding its outputs. The fingerprint follows the
 * KFP driver's CacheKey (backend/src/v2/driver/cache.go): the container's image, command and args
 * as written in the IR, the input parameter values, the input artifacts' identities, and the
 * output spec; with a task {@code cache_key} it is the component name and that key only. An input
 * artifact's identity is its content digest when it is a file (so a re-made identical file still
 * hits), else its URI, plus its metadata. A hit whose artifact file is gone is a miss. Files are
 * written atomically; concurrent runs of the same pipeline share the cache safely.
 */
public final class TaskCache {
  private final Path directory;

  public TaskCache(Path pipelineDirectory) {
    this.directory = pipelineDirectory.resolve(".cache");
  }

  public Path directory() {
    return directory;
  }

  public static String fingerprint(String componentName, String cacheKey, ComponentSpec component,
      PipelineContainerSpec container, Scopes.Inputs inputs) {
    if (cacheKey != null && !cacheKey.isEmpty()) {
      return PythonEnvironments.sha256(componentName + "\0" + cacheKey);
    }
    ObjectNode key = JsonValues.JSON.createObjectNode();
    ObjectNode artifactNames = key.putObject("inputArtifactNames");
    new TreeMap<>(inputs.artifacts()).forEach((name, list) -> {
      ArrayNode ids = artifactNames.putObject(name).putArray("artifactNames");
      for (Artifact a : list) {
        ObjectNode id = ids.addObject();
        if (a.sha256() != null) {
          id.put("sha256", a.sha256());
        } else {
          id.put("uri", a.uri());
        }
        id.set("metadata", JsonValues.object(a.metadata()));
      }
    });
    key.set("inputParameterValues", JsonValues.object(new TreeMap<>(inputs.parameters())));
    ObjectNode outputArtifacts = key.putObject("outputArtifactsSpec");
    for (Map.Entry<String, ComponentOutputsSpec.ArtifactSpec> e
        : component.getOutputDefinitions().getArtifactsMap().entrySet()) {
      ObjectNode spec = outputArtifacts.putObject(e.getKey());
      spec.put("schemaTitle", e.getValue().getArtifactType().getSchemaTitle());
      spec.put("schemaVersion", e.getValue().getArtifactType().getSchemaVersion());
      spec.set("metadata", JsonValues.of(e.getValue().getMetadata()));
    }
    ObjectNode outputParameters = key.putObject("outputParametersSpec");
    component.getOutputDefinitions().getParametersMap()
        .forEach((name, spec) -> outputParameters.put(name, spec.getParameterType().name()));
    ObjectNode containerSpec = key.putObject("containerSpec");
    containerSpec.put("image", container.getImage());
    ArrayNode cmdArgs = containerSpec.putArray("cmdArgs");
    container.getCommandList().forEach(cmdArgs::add);
    container.getArgsList().forEach(cmdArgs::add);
    return PythonEnvironments.sha256(JsonValues.canonical(key));
  }

  /** The outputs of an earlier execution with this fingerprint, if its artifacts still exist. */
  public Optional<Outcome> lookup(String fingerprint, String consumerTaskId) {
    Path file = directory.resolve(fingerprint + ".json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode entry;
    try {
      entry = JsonValues.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty(); // unreadable entries are misses; a new execution rewrites them
    }
    Map<String, List<Artifact>> artifacts = new LinkedHashMap<>();
    for (JsonNode a : entry.path("artifacts")) {
      Artifact artifact = new Artifact(a.path("name").asText(), a.path("type").asText(),
          a.path("schema_version").asText(), a.path("uri").asText(), JsonValues.map(a.path("metadata")),
          a.path("size").asLong(-1), a.hasNonNull("sha256") ? a.get("sha256").asText() : null,
          consumerTaskId);
      try {
        // An entry is a file on disk like any other: one naming a local path outside this
        // pipeline's runs is not ours, and would hand a task a file of this machine.
        RunPaths.artifactUri(artifact.uri(), directory.getParent(), "cached artifact URI");
      } catch (UnsafePathException e) {
        return Optional.empty();
      }
      Path local = artifact.localPath();
      if (artifact.size() >= 0 && local != null && !Files.exists(local)) {
        return Optional.empty();
      }
      artifacts.computeIfAbsent(artifact.name(), k -> new ArrayList<>()).add(artifact);
    }
    return Optional.of(new Outcome(RuntimeState.SUCCEEDED, true, null, null,
        JsonValues.map(entry.path("output_parameters")), artifacts,
        List.of("outputs taken from the cache (execution of task '" + entry.path("task_id").asText()
            + "' in run " + entry.path("run_id").asText() + ")")));
  }

  public void store(String fingerprint, Outcome outcome, String taskId, String runId) throws IOException {
    ObjectNode entry = JsonValues.JSON.createObjectNode();
    entry.put("fingerprint", fingerprint);
    entry.put("run_id", runId);
    entry.put("task_id", taskId);
    entry.put("created_at", Instant.now().toString());
    entry.set("output_parameters", JsonValues.object(outcome.outputParameters()));
    ArrayNode artifacts = entry.putArray("artifacts");
    outcome.outputArtifacts().values().stream().flatMap(List::stream).forEach(a -> {
      ObjectNode node = artifacts.addObject();
      node.put("name", a.name());
      node.put("type", a.schemaTitle());
      node.put("schema_version", a.schemaVersion());
      node.put("uri", a.uri());
      node.set("metadata", JsonValues.object(a.metadata()));
      node.put("size", a.size());
      if (a.sha256() != null) {
        node.put("sha256", a.sha256());
      }
      node.put("producer_task_id", a.producerTaskId());
    });
    RunFiles.writeAtomically(directory.resolve(fingerprint + ".json"), JsonValues.write(entry), RunFiles.Mode.SHARED);
  }
}
