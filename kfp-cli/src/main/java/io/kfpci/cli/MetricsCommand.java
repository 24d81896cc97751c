package io.kfpci.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.artifacts.ClassificationMetricsSummary;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.report.MetricSummary;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci metrics RUN_ID --mlmd HOST:PORT|--mlmd-via-kubernetes}: the metrics a remote run logged. */
@Command(name = "metrics",
    description = "Print the metrics of a KFP run, read from its ML Metadata store: every scalar of its"
        + " system.Metrics outputs, and its classification metrics whole.")
final class MetricsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "RUN_ID", description = "The KFP run id.")
  String runId;

  @Mixin MetadataStoreMixin store;
  @Mixin KubeconfigOptions kube;
  @Mixin KfpNamespaceOption kfp;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (a table) or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Override
  public Integer call() throws Exception {
    if (!output.equals("text") && !output.equals("json")) {
      throw new IllegalArgumentException("--output must be text or json, got '" + output + "'");
    }
    RunMetadata run;
    try (MetadataStoreMixin.Store opened = store.openAlone(kube, kfp.namespace)) {
      run = opened.reader().read(runId);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.equals("json")) {
      out.println(json(run));
    } else {
      text(run, out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  static String json(RunMetadata run) throws com.fasterxml.jackson.core.JsonProcessingException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("run_id", run.runId());
    ArrayNode metrics = root.putArray("metrics");
    for (MetricSummary m : run.metrics()) {
      metrics.addObject().put("task_id", m.taskId()).put("output", m.output()).put("name", m.name())
          .put("value", m.value());
    }
    ArrayNode classification = root.putArray("classification_metrics");
    for (ClassificationMetricsSummary c : run.classificationMetrics()) {
      ObjectNode node = classification.addObject().put("task_id", c.taskId()).put("output", c.output())
          .put("type", c.type());
      node.set("value", c.value());
    }
    return mapper.writeValueAsString(root);
  }

  static void text(RunMetadata run, PrintWriter out) {
    if (run.metrics().isEmpty() && run.classificationMetrics().isEmpty()) {
      out.println("run " + run.runId() + " logged no metrics");
      return;
    }
    int task = "TASK".length();
    int outputWidth = "OUTPUT".length();
    int name = "METRIC".length();
    for (MetricSummary m : run.metrics()) {
      task = Math.max(task, m.taskId().length());
      outputWidth = Math.max(outputWidth, m.output().length());
      name = Math.max(name, m.name().length());
    }
    String format = "%-" + task + "s  %-" + outputWidth + "s  %-" + name + "s  %s%n";
    out.printf(format, "TASK", "OUTPUT", "METRIC", "VALUE");
    for (MetricSummary m : run.metrics()) {
      out.printf(format, m.taskId(), m.output(), m.name(), number(m.value()));
    }
    for (ClassificationMetricsSummary c : run.classificationMetrics()) {
      out.println(c.taskId() + " " + c.output() + " (" + c.type() + "): " + c.value());
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
