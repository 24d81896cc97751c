package io.kfpci.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.client.CronExpression;
import io.kfpci.client.PipelinePackage;
import java.util.Map;
import java.util.Objects;

/**
 * A recurring run as its owner declares it: what {@link Schedules#reconcile} makes the server's
 * recurring run of that name match. Everything that can be refused is refused here, before any
 * call: the cron is already parsed, the parameters already resolved against the pipeline.
 *
 * @param name the recurring run's display name, its identity on the server (per experiment)
 * @param cron when it runs, in KFP's 6-field form ({@link CronExpression#kfp()})
 * @param experiment the experiment's display name (made when missing)
 * @param pipeline the pipeline, uploaded idempotently as version {@code versionName}
 * @param versionName the name a new pipeline version gets ({@code PipelineUploader.versionName})
 * @param parameters the run parameters, resolved ({@code RunParameters.resolve})
 * @param maxConcurrency runs at once, 1 to {@value #MAX_CONCURRENCY}
 * @param enabled whether it is enabled; the only difference changed in place
 * @param catchup whether missed intervals are run after a pause (KFP's {@code no_catchup} negated)
 */
public record ScheduleDeclaration(String name, CronExpression cron, String experiment, PipelinePackage pipeline,
    String versionName, Map<String, JsonNode> parameters, long maxConcurrency, boolean enabled, boolean catchup) {
  /** KFP's upper bound of max_concurrency. */
  public static final int MAX_CONCURRENCY = 10;

  public ScheduleDeclaration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(versionName, "versionName");
    parameters = Map.copyOf(parameters);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a declaration; {@link #build()} refuses a bad one with {@link InvalidScheduleException}. */
  public static final class Builder {
    private String name;
    private CronExpression cron;
    private String experiment = "Default";
    private PipelinePackage pipeline;
    private String versionName;
    private Map<String, JsonNode> parameters = Map.of();
    private long maxConcurrency = 1;
    private boolean enabled = true;
    private boolean catchup = true;

    private Builder() {}

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder cron(CronExpression value) {
      cron = value;
      return this;
    }

    /** Default {@code Default}, KFP's own. */
    public Builder experiment(String value) {
      experiment = value;
      return this;
    }

    public Builder pipeline(PipelinePackage value, String newVersionName) {
      pipeline = value;
      versionName = newVersionName;
      return this;
    }

    public Builder parameters(Map<String, JsonNode> value) {
      parameters = value;
      return this;
    }

    /** Default 1. */
    public Builder maxConcurrency(long value) {
      maxConcurrency = value;
      return this;
    }

    /** Default true. */
    public Builder enabled(boolean value) {
      enabled = value;
      return this;
    }

    /** Default true, as KFP's. */
    public Builder catchup(boolean value) {
      catchup = value;
      return this;
    }

    /** @throws InvalidScheduleException a field KFP would refuse, or none given where one is needed */
    public ScheduleDeclaration build() {
      if (name == null || name.isBlank()) {
        throw new InvalidScheduleException(InvalidScheduleException.Field.NAME,
            "is empty: the recurring run needs a name (its display name on the server)");
      }
      if (experiment == null || experiment.isBlank()) {
        throw new InvalidScheduleException(InvalidScheduleException.Field.EXPERIMENT,
            "is empty: give the display name of the experiment the recurring run belongs to");
      }
      if (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY) {
        throw new InvalidScheduleException(InvalidScheduleException.Field.MAX_CONCURRENCY,
            "must be 1 to " + MAX_CONCURRENCY + " (KFP's range), not " + maxConcurrency);
      }
      Objects.requireNonNull(cron, "cron: parse it with CronExpression.parse first");
      Objects.requireNonNull(pipeline, "pipeline");
      Objects.requireNonNull(parameters, "parameters");
      return new ScheduleDeclaration(name, cron, experiment, pipeline, versionName, parameters, maxConcurrency,
          enabled, catchup);
    }
  }
}
