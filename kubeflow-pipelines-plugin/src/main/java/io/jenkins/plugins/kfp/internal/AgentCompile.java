package io.jenkins.plugins.kfp.internal;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.kfp.KfpSettings;
import io.kfpci.KfpException;
import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.CompileResult;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.python.VenvManager;
import io.kfpci.validate.ReportWriters;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;

/** Compiles a .py pipeline to IR YAML with the managed kfp on the agent. */
public final class AgentCompile extends MasterToSlaveFileCallable<AgentCompile.Outcome> {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String function;
  private final String output;
  private final KfpSettings settings;

  /**
   * @param output where the IR goes, "" for the source with a .yaml extension
   * @param function the pipeline function, "" for the only one in the file
   */
  public AgentCompile(String source, String function, String output, KfpSettings settings) {
    this.source = source;
    this.function = function;
    this.output = output;
    this.settings = settings;
  }

  /**
   * @param output the IR file, relative to the workspace when inside it
   * @param report the validation of the compiled IR as compiler-style text
   * @param fromCache the IR came from the agent's compile cache: nothing it read had changed
   */
  public record Outcome(String output, String kfpVersion, String report, long errors, boolean fromCache)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public Outcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
    Path ws = workspace.toPath();
    CompileResult result = compile(ws, Workspaces.resolve(ws, source), function,
        output.isBlank() ? null : Workspaces.resolve(ws, output), settings);
    return new Outcome(Workspaces.display(ws, result.output()), result.kfpVersion(),
        ReportWriters.text(List.of(result.validation())), result.validation().errorCount(), result.fromCache());
  }

  /**
   * Compiles on this machine with the managed kfp, every failure an {@link AbortException} whose
   * message names the place in the user's file, relative to the workspace.
   *
   * @param output where the IR goes, or null for the source with a .yaml extension
   */
  static CompileResult compile(Path ws, Path source, String function, Path output, KfpSettings settings)
      throws IOException, InterruptedException {
    CompileRequest request;
    try {
      request = CompileRequest.builder(source).kfpVersion(settings.effectiveKfpVersion()).function(function)
          // As kfpci does by default: an unchanged pipeline (and everything it imports) is not
          // compiled again on every build; the cache sits with the venvs, per agent.
          .output(output).compileCache(true).build();
    } catch (IllegalArgumentException e) {
      throw new AbortException(e.getMessage());
    }
    try {
      return new KfpCompiler(new VenvManager(settings.pythonSettings())).compile(request);
    } catch (io.kfpci.compile.CompileException e) {
      throw new AbortException(Workspaces.describe(ws, e));
    } catch (KfpException e) {
      throw new AbortException(e.getMessage());
    }
  }
}
