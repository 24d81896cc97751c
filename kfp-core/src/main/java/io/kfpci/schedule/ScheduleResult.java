package io.kfpci.schedule;

import io.kfpci.client.PipelineUploader;
import java.util.Objects;

/**
 * The outcome of {@link Schedules#reconcile}.
 *
 * @param action what was done
 * @param recurringRunId the id of the recurring run that now matches the declaration
 * @param declaration what was reconciled
 * @param upload the pipeline and version the recurring run runs
 */
public record ScheduleResult(ScheduleAction action, String recurringRunId, ScheduleDeclaration declaration,
    PipelineUploader.Result upload) {
  public ScheduleResult {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(recurringRunId, "recurringRunId");
    Objects.requireNonNull(declaration, "declaration");
    Objects.requireNonNull(upload, "upload");
  }

  public String pipelineId() {
    return upload.pipeline().pipelineId();
  }

  public String versionId() {
    return upload.version().pipelineVersionId();
  }

  public String versionName() {
    return upload.version().name();
  }
}
