package io.kfpci.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.emulator.RuntimeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's in-memory database. Every read and write holds the store's monitor
 * ({@code synchronized (store)}), so a request sees and leaves a consistent state. Entities are
 * mutable and never leave the emulator: callers get JSON renderings or immutable snapshots.
 */
public final class Store {
  private final AtomicLong sequence = new AtomicLong();
  public final Map<String, PipelineRow> pipelines = new LinkedHashMap<>();
  public final Map<String, VersionRow> versions = new LinkedHashMap<>();
  public final Map<String, ExperimentRow> experiments = new LinkedHashMap<>();
  public final Map<String, RunRow> runs = new LinkedHashMap<>();
  public final Map<String, RecurringRunRow> recurringRuns = new LinkedHashMap<>();

  /** Creation order: breaks ties between rows created in the same instant. */
  public long nextSequence() {
    return sequence.incrementAndGet();
  }

  /** Columns every listable row has. */
  public abstract static class Row {
    public String id;
    public long sequence;
    public Instant createdAt;

    /** The value of a filter or sort key (API name), or null when the key is unknown. */
    public abstract Object column(String key);
  }

  public static final class PipelineRow extends Row {
    public String name;
    public String displayName;
    public String description = "";
    public String namespace = "";
    public Map<String, String> tags = new TreeMap<>();

    @Override
    public Object column(String key) {
      if (key.startsWith("tags.")) {
        return tags.getOrDefault(key.substring(5), "");
      }
      return switch (key) {
        case "pipeline_id" -> id;
        case "name" -> name;
        case "display_name" -> displayName;
        case "created_at" -> createdAt;
        case "description" -> description;
        case "namespace" -> namespace;
        default -> null;
      };
    }

    public ObjectNode render() {
      ObjectNode node = Json.object();
      node.put("pipeline_id", id);
      Json.putIfNotEmpty(node, "display_name", displayName);
      Json.putIfNotEmpty(node, "name", name);
      Json.putIfNotEmpty(node, "description", description);
      node.put("created_at", Json.time(createdAt));
      Json.putIfNotEmpty(node, "namespace", namespace);
      if (!tags.isEmpty()) {
        ObjectNode t = node.putObject("tags");
        tags.forEach(t::put);
      }
      return node;
    }
  }

  public static final class VersionRow extends Row {
    public String pipelineId;
    public String name;
    public String displayName;
    public String description = "";
    public String codeSourceUrl = "";
    public String packageUrl = "";
    /** The PipelineSpec Struct as GetPipelineVersion prints it (the wrapper when a platform spec exists). */
    public JsonNode pipelineSpec;
    public JsonNode spec;
    public JsonNode platformSpec;
    public Map<String, String> tags = new TreeMap<>();

    @Override
    public Object column(String key) {
      return switch (key) {
        case "pipeline_version_id" -> id;
        case "name" -> name;
        case "display_name" -> displayName;
        case "created_at" -> createdAt;
        case "description" -> description;
        case "status", "pipeline_spec" -> "";
        default -> null;
      };
    }

    public ObjectNode render() {
      ObjectNode node = Json.object();
      node.put("pipeline_id", pipelineId);
      node.put("pipeline_version_id", id);
      Json.putIfNotEmpty(node, "display_name", displayName);
      Json.putIfNotEmpty(node, "name", name);
      Json.putIfNotEmpty(node, "description", description);
      node.put("created_at", Json.time(createdAt));
      if (!packageUrl.isEmpty()) {
        node.putObject("package_url").put("pipeline_url", packageUrl);
      }
      Json.putIfNotEmpty(node, "code_source_url", codeSourceUrl);
      node.set("pipeline_spec", pipelineSpec.deepCopy());
      if (!tags.isEmpty()) {
        ObjectNode t = node.putObject("tags");
        tags.forEach(t::put);
      }
      return node;
    }
  }

  public static final class ExperimentRow extends Row {
    public String displayName;
    public String description = "";
    public String namespace = "";
    public String storageState = "AVAILABLE";
    public Instant lastRunCreatedAt;

    @Override
    public Object column(String key) {
      return switch (key) {
        case "experiment_id" -> id;
        case "display_name", "name" -> displayName;
        case "created_at" -> createdAt;
        case "last_run_created_at" -> lastRunCreatedAt == null ? Instant.EPOCH : lastRunCreatedAt;
        case "description" -> description;
        case "namespace" -> namespace;
        case "storage_state" -> storageState;
        default -> null;
      };
    }

    public ObjectNode render() {
      ObjectNode node = Json.object();
      node.put("experiment_id", id);
      Json.putIfNotEmpty(node, "display_name", displayName);
      Json.putIfNotEmpty(node, "description", description);
      node.put("created_at", Json.time(createdAt));
      Json.putIfNotEmpty(node, "namespace", namespace);
      node.put("storage_state", storageState);
      node.put("last_run_created_at", lastRunCreatedAt == null ? Json.EPOCH : Json.time(lastRunCreatedAt));
      return node;
    }
  }

  /** One entry of a run's or a task's state_history. */
  public record StateChange(Instant at, RuntimeState state) {}

  public static final class TaskRow {
    public String taskId;
    public String nodeId;
    public String displayName;
    public Instant createTime;
    public Instant startTime;
    public Instant endTime;
    public RuntimeState state = RuntimeState.RUNTIME_STATE_UNSPECIFIED;
    public final List<StateChange> history = new ArrayList<>();
    public List<String> children = List.of();
  }

  public static final class RunRow extends Row {
    public String experimentId;
    public String namespace = "";
    public String displayName;
    public String description = "";
    public String storageState = "AVAILABLE";
    public String pipelineId = "";
    public String pipelineVersionId = "";
    /** "reference", "version_id" (the deprecated field) or "spec": which pipeline_source the run used. */
    public String source;
    public JsonNode inlineSpec;
    public JsonNode spec;
    public JsonNode runtimeConfig;
    public String serviceAccount = "pipeline-runner";
    public Instant scheduledAt;
    public Instant finishedAt;
    public RuntimeState state = RuntimeState.PENDING;
    public final List<StateChange> history = new ArrayList<>();
    /** Null until the first report with nodes: a PENDING run has no run_details. */
    public Map<String, TaskRow> tasks;
    public String recurringRunId = "";
    public String workflowName;
    public boolean terminateRequested;
    public int retries;

    @Override
    public Object column(String key) {
      return switch (key) {
        case "run_id" -> id;
        case "display_name", "name" -> displayName;
        case "created_at" -> createdAt;
        case "finished_at" -> finishedAt == null ? Instant.EPOCH : finishedAt;
        case "scheduled_at" -> scheduledAt;
        case "description" -> description;
        case "storage_state" -> storageState;
        case "state", "status" -> state.isEmitted() ? state.name() : "";
        case "namespace" -> namespace;
        case "experiment_id" -> experimentId;
        case "recurring_run_id" -> recurringRunId;
        case "state_history", "runtime_details" -> "";
        default -> null;
      };
    }

    public ObjectNode render() {
      ObjectNode node = Json.object();
      Json.putIfNotEmpty(node, "experiment_id", experimentId);
      node.put("run_id", id);
      node.put("display_name", displayName);
      node.put("storage_state", storageState);
      Json.putIfNotEmpty(node, "description", description);
      switch (source) {
        case "reference" -> {
          ObjectNode ref = node.putObject("pipeline_version_reference");
          ref.put("pipeline_id", pipelineId);
          ref.put("pipeline_version_id", pipelineVersionId);
        }
        case "version_id" -> node.put("pipeline_version_id", pipelineVersionId);
        default -> node.set("pipeline_spec", inlineSpec.deepCopy());
      }
      if (runtimeConfig != null && !runtimeConfig.isEmpty()) {
        node.set("runtime_config", runtimeConfig.deepCopy());
      }
      Json.putIfNotEmpty(node, "service_account", serviceAccount);
      node.put("created_at", Json.time(createdAt));
      node.put("scheduled_at", Json.time(scheduledAt));
      node.put("finished_at", finishedAt == null ? Json.EPOCH : Json.time(finishedAt));
      if (state.isEmitted()) {
        node.put("state", state.name());
      }
      if (tasks != null && !tasks.isEmpty()) {
        ArrayNode list = node.putObject("run_details").putArray("task_details");
        for (TaskRow task : tasks.values()) {
          list.add(renderTask(task));
        }
      }
      Json.putIfNotEmpty(node, "recurring_run_id", recurringRunId);
      ArrayNode history = node.putArray("state_history");
      for (StateChange change : this.history) {
        ObjectNode entry = history.addObject();
        entry.put("update_time", Json.time(change.at()));
        if (change.state().isEmitted()) {
          entry.put("state", change.state().name());
        }
      }
      node.set("plugins_output", pluginsOutput());
      return node;
    }

    /**
     * What 2.17.0 attaches to every run: its MLflow plugin fails to resolve its configuration
     * without a Kubernetes token, and says so, while the run goes on (seen on the wire).
     */
    private static ObjectNode pluginsOutput() {
      ObjectNode mlflow = Json.object();
      mlflow.putObject("entries").putObject("experiment_name").put("value", "KFP-Default");
      mlflow.put("state", "PLUGIN_FAILED");
      mlflow.put("state_message", "MLflow config resolution failed; run creation will continue: Invalid input"
          + " error: Kubernetes bearer token is empty for MLflow auth");
      ObjectNode out = Json.object();
      out.set("mlflow", mlflow);
      return out;
    }

    private ObjectNode renderTask(TaskRow task) {
      // What toApiPipelineTaskDetail fills for Argo-sourced tasks; pod_name, execution_id, inputs,
      // outputs, parent_task_id, executor_detail and error are never set (FACTS.md 1.10).
      ObjectNode node = Json.object();
      node.put("run_id", id);
      node.put("task_id", task.taskId);
      node.put("display_name", task.displayName);
      node.put("create_time", Json.time(task.createTime));
      node.put("start_time", Json.time(task.startTime));
      node.put("end_time", task.endTime == null ? Json.ZERO_TIME : Json.time(task.endTime));
      if (task.state.isEmitted()) {
        node.put("state", task.state.name());
      }
      ArrayNode history = node.putArray("state_history");
      for (StateChange change : task.history) {
        ObjectNode entry = history.addObject();
        entry.put("update_time", Json.time(change.at()));
        if (change.state().isEmitted()) {
          entry.put("state", change.state().name());
        }
      }
      if (!task.children.isEmpty()) {
        ArrayNode children = node.putArray("child_tasks");
        for (String child : task.children) {
          children.addObject().put("pod_name", child);
        }
      }
      return node;
    }
  }

  public static final class RecurringRunRow extends Row {
    public String displayName;
    public String description = "";
    public String experimentId;
    public String namespace = "";
    public String source;
    public String pipelineId = "";
    public String pipelineVersionId = "";
    public JsonNode inlineSpec;
    public JsonNode runtimeConfig;
    public String serviceAccount = "pipeline-runner";
    public String maxConcurrency = "1";
    public JsonNode trigger;
    public String mode = "ENABLE";
    public boolean enabled = true;
    public boolean noCatchup;
    public Instant updatedAt;

    @Override
    public Object column(String key) {
      return switch (key) {
        case "recurring_run_id" -> id;
        case "display_name", "name" -> displayName;
        case "created_at" -> createdAt;
        case "updated_at" -> updatedAt;
        case "description" -> description;
        default -> null;
      };
    }

    public ObjectNode render() {
      ObjectNode node = Json.object();
      node.put("recurring_run_id", id);
      node.put("display_name", displayName);
      Json.putIfNotEmpty(node, "description", description);
      switch (source) {
        case "reference" -> {
          ObjectNode ref = node.putObject("pipeline_version_reference");
          ref.put("pipeline_id", pipelineId);
          Json.putIfNotEmpty(ref, "pipeline_version_id", pipelineVersionId);
        }
        case "version_id" -> node.put("pipeline_version_id", pipelineVersionId);
        default -> node.set("pipeline_spec", inlineSpec.deepCopy());
      }
      if (runtimeConfig != null && !runtimeConfig.isEmpty()) {
        node.set("runtime_config", runtimeConfig.deepCopy());
      }
      Json.putIfNotEmpty(node, "service_account", serviceAccount);
      node.put("max_concurrency", maxConcurrency);
      if (trigger != null) {
        node.set("trigger", trigger.deepCopy());
      }
      node.put("mode", mode);
      node.put("created_at", Json.time(createdAt));
      node.put("updated_at", Json.time(updatedAt));
      node.put("status", enabled ? "ENABLED" : "DISABLED");
      if (noCatchup) {
        node.put("no_catchup", true);
      }
      Json.putIfNotEmpty(node, "namespace", namespace);
      Json.putIfNotEmpty(node, "experiment_id", experimentId);
      return node;
    }
  }
}
