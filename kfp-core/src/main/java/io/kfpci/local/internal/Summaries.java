package io.kfpci.local.internal;

import io.kfpci.ir.TaskDependencies;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.ir.proto.ComponentOutputsSpec;
import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps run states to run summaries (docs/run-summary.md) and back. The summary is the runner's
 * persisted state: it holds every node with its state, attempts and outputs, which is all that
 * {@code --resume} needs besides the IR. Pure functions.
 */
public final class Summaries {
  private Summaries() {}

  public static RunSummary toSummary(Plan plan, RunState state, RunDirectory directory) {
    List<TaskSummary> tasks = new ArrayList<>();
    for (Node node : state.nodes().values()) {
      tasks.add(task(plan, state, directory, node));
    }
    // Masked here, once, so every consumer (summary.json, the report, the console, a watcher) gets
    // the same masked values and none of them has to remember to.
    return directory.secrets().mask(new RunSummary(RunSummary.FORMAT_VERSION, plan.pipelineName(), state.runId(),
        state.state(), state.createdAt(), state.startedAt(), state.finishedAt(), state.parameters(),
        new RunSummary.Location("local", directory.path().toString(), null), state.error(), tasks, List.of(),
        pipelineOutputs(plan, state, directory)));
  }

  /**
   * The root DAG's outputs, resolved like a nested pipeline's (selectors, one-of, collected
   * loops) over the tasks that succeeded so far; null when the pipeline declares none, or none
   * has a value yet.
   */
  static RunSummary.PipelineOutputs pipelineOutputs(Plan plan, RunState state, RunDirectory directory) {
    var declared = plan.component("").getDag().getOutputs();
    if (declared.getParametersCount() == 0 && declared.getArtifactsCount() == 0) {
      return null;
    }
    Node root = Node.pending("", "", "", "", Kind.DAG, null, "");
    Map<String, JsonNode> parameters = Scopes.outputParameters(plan, state, root);
    List<ArtifactSummary> artifacts = new ArrayList<>();
    Scopes.outputArtifacts(plan, state, root).forEach((name, list) -> {
      for (Artifact a : list) {
        artifacts.add(artifactSummary(name, a, a.producerTaskId(), directory));
      }
    });
    RunSummary.PipelineOutputs outputs = new RunSummary.PipelineOutputs(parameters, artifacts);
    return outputs.isEmpty() ? null : outputs;
  }

  private static ArtifactSummary artifactSummary(String name, Artifact a, String producer, RunDirectory directory) {
    Path local = a.localPath();
    // Only a file of this pipeline's runs gets a relative path (the report links it); an
    // importer's file elsewhere on this machine is shown by its URI alone.
    String path = local != null && a.size() >= 0
        && local.toAbsolutePath().normalize().startsWith(directory.pipelineDirectory())
        ? directory.relative(local) : null;
    return new ArtifactSummary(name, a.schemaTitle(), a.uri(), path, a.size(), a.sha256(), a.metadata(), producer);
  }

  private static TaskSummary task(Plan plan, RunState state, RunDirectory directory, Node node) {
    List<TaskSummary.Edge> upstream = new ArrayList<>();
    if (node.kind() != Kind.ITERATION) {
      PipelineTaskSpec spec = plan.taskSpec(state, node);
      Set<String> data = TaskDependencies.dataProducers(spec);
      for (String name : TaskDependencies.upstream(spec)) {
        String id = Node.childId(node.parentId(), name);
        if (state.nodes().containsKey(id)) {
          upstream.add(new TaskSummary.Edge(id, data.contains(name) ? "data" : "after"));
        }
      }
    }
    Map<String, JsonNode> outputs = node.state() == RuntimeState.SUCCEEDED
        ? Scopes.outputParameters(plan, state, node) : node.outputParameters();
    List<ArtifactSummary> artifacts = new ArrayList<>();
    List<MetricSummary> metrics = new ArrayList<>();
    for (List<Artifact> list : node.outputArtifacts().values()) {
      for (Artifact a : list) {
        artifacts.add(artifactSummary(a.name(), a, node.id(), directory));
        if (a.schemaTitle().equals("system.Metrics")) {
          a.metadata().forEach((name, value) -> {
            if (value.isNumber()) {
              metrics.add(new MetricSummary(node.id(), a.name(), name, value.asDouble()));
            }
          });
        }
      }
    }
    String log = "";
    if (node.kind() == Kind.CONTAINER) {
      try {
        Path taskLog = directory.taskLog(node.id());
        log = Files.exists(taskLog) ? directory.relative(taskLog) : "";
      } catch (UnsafePathException e) {
        // The task never got a directory (its attempt failed saying why): no log to point at.
      }
    }
    return new TaskSummary(node.id(), node.name(), node.parentId(), node.componentName(), node.kind().summaryName(),
        node.iteration(), node.state(), node.startedAt(), node.finishedAt(), node.attempts(), node.cached(),
        node.image(), upstream, outputs, artifacts, metrics, log, node.logTail(), node.exitCode(), node.error());
  }

  /**
   * The state to resume from: every node of the saved summary, those that succeeded as they were
   * (outputs included), all others back to PENDING so they run again; the run itself PENDING.
   */
  public static RunState restore(Plan plan, RunSummary summary) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (TaskSummary t : summary.tasks()) {
      Kind kind = switch (t.kind()) {
        case "container" -> Kind.CONTAINER;
        case "importer" -> Kind.IMPORTER;
        case "loop" -> Kind.LOOP;
        default -> t.iteration() != null ? Kind.ITERATION : Kind.DAG;
      };
      Node pending = Node.pending(t.id(), t.name(), t.parentId(), t.componentName(), kind, t.iteration(), t.image());
      if (t.state() != RuntimeState.SUCCEEDED) {
        nodes.put(t.id(), pending);
        continue;
      }
      Map<String, List<Artifact>> artifacts = new LinkedHashMap<>();
      Map<String, ComponentOutputsSpec.ArtifactSpec> specs = t.componentName().isEmpty() || !kind.isExecutor()
          ? Map.of() : plan.component(t.componentName()).getOutputDefinitions().getArtifactsMap();
      for (ArtifactSummary a : t.artifacts()) {
        ComponentOutputsSpec.ArtifactSpec spec = specs.get(a.name());
        String version = spec == null ? "" : spec.getArtifactType().getSchemaVersion();
        artifacts.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(new Artifact(a.name(), a.type(), version,
            a.uri(), a.metadata(), a.size(), a.sha256(), t.id()));
      }
      nodes.put(t.id(), pending.toBuilder().state(RuntimeState.SUCCEEDED).startedAt(t.startedAt())
          .finishedAt(t.finishedAt()).attempts(t.attempts()).cached(t.cached()).exitCode(t.exitCode())
          .logTail(t.logTail()).outputParameters(kind.isExecutor() ? t.outputParameters() : Map.of())
          .outputArtifacts(artifacts).build());
    }
    // Tasks the IR has but the summary lacks (it was written before they existed) start fresh.
    for (Node n : plan.initialNodes()) {
      nodes.putIfAbsent(n.id(), n);
    }
    return new RunState(summary.runId(), RuntimeState.PENDING, summary.createdAt(), summary.startedAt(), null, null,
        false, summary.parameters(), nodes);
  }
}
