package io.kfpci.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A run the emulator accepted, as a {@link RunExecutor} sees it.
 *
 * @param runId the run's id
 * @param displayName the run's display name
 * @param experimentId the experiment it belongs to
 * @param namespace the experiment's namespace ("" in single-user mode)
 * @param workflowName the Argo Workflow name the server would give it ({@code <pipeline name>-<5 chars>})
 * @param pipelineSpec the PipelineSpec (the first YAML document) as JSON
 * @param platformSpec the PlatformSpec (the second document), if any
 * @param parameters {@code runtime_config.parameters} (an object, possibly empty)
 * @param pipelineRoot {@code runtime_config.pipeline_root}, or ""
 * @param createdAt when the run was created
 */
public record RunSubmission(String runId, String displayName, String experimentId, String namespace,
    String workflowName, JsonNode pipelineSpec, Optional<JsonNode> platformSpec, JsonNode parameters,
    String pipelineRoot, Instant createdAt) {
  public RunSubmission {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(pipelineSpec, "pipelineSpec");
    Objects.requireNonNull(platformSpec, "platformSpec");
    Objects.requireNonNull(parameters, "parameters");
  }
}
