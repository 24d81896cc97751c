package io.kfpci.local.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written pipeline IR for runner safety tests: shell tasks (no Python, so fast), with names
 * that a compiler would never produce but a pipeline file can hold. Each task has its own
 * component {@code comp-<i>} and executor {@code exec-<i>}; every root parameter is a STRING input
 * of the pipeline and of every task.
 */
public final class IrFixtures {
  private IrFixtures() {}

  /**
   * One task.
   *
   * @param outParameter an output parameter name, or null
   * @param outArtifact an output artifact name (system.Artifact), or null
   * @param command the container command, placeholders allowed
   */
  public record Task(String name, String outParameter, String outArtifact, List<String> command) {
    public static Task shell(String name, String script) {
      return new Task(name, null, null, List.of("sh", "-c", script));
    }
  }

  public static Path write(Path dir, String pipelineName, List<String> parameters, Task... tasks) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("pipeline.yaml"), yaml(pipelineName, parameters, List.of(tasks)),
        StandardCharsets.UTF_8);
  }

  public static String yaml(String pipelineName, List<String> parameters, List<Task> tasks) {
    List<String> y = new ArrayList<>();
    y.add("components:");
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      y.add("  comp-" + i + ":");
      y.add("    executorLabel: exec-" + i);
      inputs(y, "    ", parameters);
      if (t.outParameter() != null || t.outArtifact() != null) {
        y.add("    outputDefinitions:");
        if (t.outParameter() != null) {
          y.add("      parameters:");
          y.add("        " + q(t.outParameter()) + ":");
          y.add("          parameterType: STRING");
        }
        if (t.outArtifact() != null) {
          y.add("      artifacts:");
          y.add("        " + q(t.outArtifact()) + ":");
          y.add("          artifactType:");
          y.add("            schemaTitle: system.Artifact");
          y.add("            schemaVersion: 0.0.1");
        }
      }
    }
    y.add("deploymentSpec:");
    y.add("  executors:");
    for (int i = 0; i < tasks.size(); i++) {
      y.add("    exec-" + i + ":");
      y.add("      container:");
      y.add("        command:");
      for (String c : tasks.get(i).command()) {
        y.add("        - " + q(c));
      }
      y.add("        image: docker.io/library/alpine:3");
    }
    y.add("pipelineInfo:");
    y.add("  name: " + q(pipelineName));
    y.add("root:");
    y.add("  dag:");
    y.add("    tasks:");
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      y.add("      " + q(t.name()) + ":");
      y.add("        cachingOptions: {}");
      y.add("        componentRef:");
      y.add("          name: comp-" + i);
      if (!parameters.isEmpty()) {
        y.add("        inputs:");
        y.add("          parameters:");
        for (String p : parameters) {
          y.add("            " + q(p) + ":");
          y.add("              componentInputParameter: " + q(p));
        }
      }
      y.add("        taskInfo:");
      y.add("          name: " + q(t.name()));
    }
    inputs(y, "  ", parameters);
    y.add("schemaVersion: 2.1.0");
    y.add("sdkVersion: kfp-2.14.6");
    return String.join("\n", y) + "\n";
  }

  private static void inputs(List<String> y, String indent, List<String> parameters) {
    if (parameters.isEmpty()) {
      return;
    }
    y.add(indent + "inputDefinitions:");
    y.add(indent + "  parameters:");
    for (String p : parameters) {
      y.add(indent + "    " + q(p) + ":");
      y.add(indent + "      parameterType: STRING");
    }
  }

  /** A single-quoted YAML scalar. */
  static String q(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
