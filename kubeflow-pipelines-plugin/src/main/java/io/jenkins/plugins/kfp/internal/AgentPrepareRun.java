package io.jenkins.plugins.kfp.internal;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.kfp.KfpSettings;
import io.kfpci.KfpException;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.validate.ReportWriters;
import io.kfpci.validate.RunParameters;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * Everything before a local run starts, on the agent: compile a .py pipeline, load and validate
 * the IR, type the run parameters against its inputs, and write the runner's run spec. A pipeline
 * with errors or wrong parameters fails here, in seconds, with file:line messages.
 */
public final class AgentPrepareRun extends MasterToSlaveFileCallable<AgentPrepareRun.Prepared> {
  private static final long serialVersionUID = 1L;

  private final String pipeline;
  private final LinkedHashMap<String, String> params;
  private final LocalRunOptions options;
  private final String runId;
  private final KfpSettings settings;

  public AgentPrepareRun(String pipeline, Map<String, String> params, LocalRunOptions options, String runId,
      KfpSettings settings) {
    this.pipeline = pipeline;
    this.params = new LinkedHashMap<>(params);
    this.options = options;
    this.runId = runId;
    this.settings = settings;
  }

  /**
   * A run ready to launch.
   *
   * @param runDir the run directory the runner will create (absolute, on the agent)
   * @param specFile the run spec to hand the runner, in the launch directory
   * @param messages what to tell the user before the run starts (compile output, warnings)
   */
  public record Prepared(String pipelineName, String runDir, String specFile, String messages) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public Prepared invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
    Path ws = workspace.toPath();
    Path root = Workspaces.resolve(ws, settings.pipelineRootOr(options.pipelineRoot()));
    Path source = Workspaces.resolve(ws, pipeline);
    StringBuilder messages = new StringBuilder();
    try {
      Path launchDir = LocalRunnerSpec.launchDirectory(root, runId);
      Path ir = source;
      Path name = source.getFileName();
      if (name != null && name.toString().endsWith(".py")) {
        ir = launchDir.resolve("pipeline.yaml");
        AgentCompile.compile(ws, source, "", ir, settings);
        messages.append("[kfp] compiled ").append(Workspaces.display(ws, source)).append(" to ")
            .append(Workspaces.display(ws, ir)).append('\n');
      }
      String shown = Workspaces.display(ws, ir);
      PipelineDocument document = PipelineLoader.load(shown, Files.readAllBytes(ir));
      ValidationReport report = Validator.validate(document);
      if (report.hasErrors()) {
        throw new AbortException(ReportWriters.text(List.of(report)).strip());
      }
      if (report.warningCount() > 0) {
        messages.append(ReportWriters.text(List.of(report)));
      }
      // Typed here only to fail early; the runner types the same text again.
      RunParameters.resolve(document, params);
      Path runDir = root.resolve(document.pipelineName()).resolve(runId);
      Path spec = LocalRunnerSpec.write(launchDir, ir, params, root, runId, options, settings, ws);
      return new Prepared(document.pipelineName(), runDir.toString(), spec.toString(), messages.toString());
    } catch (NoSuchFileException e) {
      throw new AbortException(Workspaces.display(ws, Path.of(e.getFile())) + ": no such file");
    } catch (InvalidPipelineException e) {
      StringBuilder text = new StringBuilder();
      e.problems().forEach(p -> text.append(p.headline()).append(p.hint().isEmpty() ? "" : "\n    hint: " + p.hint())
          .append('\n'));
      throw new AbortException(text.toString().strip());
    } catch (KfpException e) {
      throw new AbortException(e.getMessage());
    }
  }
}
