package io.kfpci.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kfpci.emulator.RuntimeState;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The v1beta1 RunDetail of a run: the v1 run and the Argo Workflow behind it as a JSON string
 * ({@code pipeline_runtime.workflow_manifest}), whose {@code status.nodes} carry what v2beta1 leaves
 * out: node types, template names and pod names (FACTS.md 4.2 b).
 */
final class V1Views {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private V1Views() {}

  static ObjectNode runDetail(Store.RunRow run, Store store) {
    ObjectNode v1 = Json.object();
    v1.put("id", run.id);
    v1.put("name", run.displayName);
    Json.putIfNotEmpty(v1, "description", run.description);
    ObjectNode spec = v1.putObject("pipeline_spec");
    Store.PipelineRow pipeline = store.pipelines.get(run.pipelineId);
    if (pipeline != null) {
      spec.put("pipeline_id", pipeline.id);
      spec.put("pipeline_name", pipeline.name);
    }
    spec.put("pipeline_manifest", yaml(run.spec));
    JsonNode parameters = run.runtimeConfig == null ? null : run.runtimeConfig.get("parameters");
    if (parameters != null && !parameters.isEmpty()) {
      spec.putObject("runtime_config").set("parameters", parameters.deepCopy());
    }
    ArrayNode references = v1.putArray("resource_references");
    ObjectNode experiment = references.addObject();
    experiment.putObject("key").put("type", "EXPERIMENT").put("id", run.experimentId);
    experiment.put("relationship", "OWNER");
    if (!run.pipelineVersionId.isEmpty()) {
      ObjectNode version = references.addObject();
      version.putObject("key").put("type", "PIPELINE_VERSION").put("id", run.pipelineVersionId);
      version.put("relationship", "CREATOR");
    }
    Json.putIfNotEmpty(v1, "service_account", run.serviceAccount);
    v1.put("created_at", Json.time(run.createdAt));
    v1.put("scheduled_at", Json.time(run.scheduledAt));
    v1.put("finished_at", run.finishedAt == null ? Json.EPOCH : Json.time(run.finishedAt));
    String status = v1Status(run.state);
    if (!status.isEmpty()) {
      v1.put("status", status);
    }
    ObjectNode detail = Json.object();
    detail.set("run", v1);
    ObjectNode runtime = detail.putObject("pipeline_runtime");
    runtime.put("pipeline_manifest", Json.MAPPER.valueToTree(workflowMetadata(run)).toString());
    runtime.put("workflow_manifest", workflow(run).toString());
    return detail;
  }

  private static String yaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String v1Status(RuntimeState state) {
    return switch (state) {
      case PENDING -> "Pending";
      case RUNNING -> "Running";
      case SUCCEEDED -> "Succeeded";
      case SKIPPED -> "Skipped";
      case FAILED -> "Failed";
      case CANCELING -> "Terminating";
      case CANCELED -> "Canceled";
      case PAUSED -> "Paused";
      case RUNTIME_STATE_UNSPECIFIED -> "";
    };
  }

  private static ObjectNode workflowMetadata(Store.RunRow run) {
    ObjectNode metadata = Json.object();
    ObjectNode meta = metadata.putObject("metadata");
    meta.put("name", run.workflowName);
    meta.put("namespace", run.namespace.isEmpty() ? "kubeflow" : run.namespace);
    meta.put("creationTimestamp", Json.time(run.createdAt));
    meta.putObject("labels").put("pipeline/runid", run.id);
    return metadata;
  }

  private static ObjectNode workflow(Store.RunRow run) {
    ObjectNode workflow = Json.object();
    workflow.put("kind", "Workflow");
    workflow.put("apiVersion", "argoproj.io/v1alpha1");
    workflow.setAll(workflowMetadata(run));
    ObjectNode status = workflow.putObject("status");
    String phase = v1Status(run.state);
    if (!phase.isEmpty()) {
      status.put("phase", phase.equals("Terminating") ? "Running" : phase);
    }
    status.put("startedAt", Json.time(run.createdAt));
    if (run.finishedAt != null) {
      status.put("finishedAt", Json.time(run.finishedAt));
    }
    ObjectNode nodes = status.putObject("nodes");
    if (run.tasks != null) {
      for (Store.TaskRow task : run.tasks.values()) {
        ObjectNode node = nodes.putObject(task.nodeId);
        node.put("id", task.nodeId);
        node.put("name", run.workflowName + "." + task.displayName);
        node.put("displayName", task.displayName);
        boolean pod = task.displayName.equals("executor") || task.displayName.endsWith("-driver");
        node.put("type", pod ? "Pod" : "DAG");
        String template = task.displayName.equals("executor") ? "system-container-impl"
            : task.displayName.endsWith("-driver") ? "system-container-driver"
            : task.displayName.equals(run.workflowName) ? "entrypoint" : "system-container-executor";
        node.put("templateName", template);
        String phaseName = v1Status(task.state);
        if (!phaseName.isEmpty()) {
          node.put("phase", phaseName);
        }
        node.put("startedAt", Json.time(task.startTime));
        if (task.endTime != null) {
          node.put("finishedAt", Json.time(task.endTime));
        }
        if (pod) {
          // Argo POD_NAMES v2: <workflow>-<template>-<hash>, the hash being the node id's last part.
          String hash = task.nodeId.substring(task.nodeId.lastIndexOf('-') + 1);
          node.put("podName", run.workflowName + "-" + template + "-" + hash);
        }
        if (!task.children.isEmpty()) {
          ArrayNode children = node.putArray("children");
          task.children.forEach(children::add);
        }
      }
    }
    return workflow;
  }
}
