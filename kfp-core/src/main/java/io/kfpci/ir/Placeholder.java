package io.kfpci.ir;

import java.util.Optional;

/**
 * One {@code {{$...}}} placeholder of a container command or argument, as the KFP launcher
 * understands it (sdk/python/kfp/dsl/placeholders.py). The validator checks them; the local runner
 * substitutes them.
 */
public sealed interface Placeholder {

  /** The raw text including braces, e.g. {@code {{$.inputs.parameters['x']}}}. */
  String text();

  /** {@code {{$}}}: the whole ExecutorInput as JSON. */
  record ExecutorInputJson(String text) implements Placeholder {}

  /** {@code {{$.inputs.parameters['x']}}}, optionally {@code .json_escape[N]}. */
  record InputParameter(String text, String name, Optional<Integer> jsonEscape) implements Placeholder {}

  /** {@code {{$.inputs.artifacts['a']...}}}; {@code metadataKey} only for METADATA_KEY. */
  record InputArtifact(String text, String name, ArtifactAttribute attribute, Optional<String> metadataKey)
      implements Placeholder {}

  /** {@code {{$.outputs.parameters['z'].output_file}}}. */
  record OutputParameterFile(String text, String name) implements Placeholder {}

  /** {@code {{$.outputs.artifacts['y']...}}}. */
  record OutputArtifact(String text, String name, ArtifactAttribute attribute, Optional<String> metadataKey)
      implements Placeholder {}

  /** {@code {{$.outputs.output_file}}}: where the executor writes its ExecutorOutput JSON. */
  record ExecutorOutputFile(String text) implements Placeholder {}

  /** Run-level values such as {@code {{$.pipeline_job_name}}}. */
  record RunValue(String text, RunValueKind kind) implements Placeholder {}

  enum ArtifactAttribute {
    /** The artifact itself (a list for list inputs), serialised as JSON. */
    WHOLE,
    PATH,
    URI,
    METADATA,
    METADATA_KEY
  }

  enum RunValueKind {
    PIPELINE_JOB_NAME("pipeline_job_name"),
    PIPELINE_JOB_RESOURCE_NAME("pipeline_job_resource_name"),
    PIPELINE_JOB_UUID("pipeline_job_uuid"),
    PIPELINE_TASK_NAME("pipeline_task_name"),
    PIPELINE_TASK_UUID("pipeline_task_uuid"),
    PIPELINE_ROOT("pipeline_root"),
    PIPELINE_JOB_CREATE_TIME_UTC("pipeline_job_create_time_utc"),
    PIPELINE_JOB_SCHEDULE_TIME_UTC("pipeline_job_schedule_time_utc"),
    WORKSPACE_PATH("workspace_path");

    private final String key;

    RunValueKind(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }
}
