package io.jenkins.plugins.kfp.internal;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.validate.ReportWriters;
import io.kfpci.validate.RunParameters;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * Validates an IR file and, when given, run parameters against its inputs (the preflight), and
 * writes the result as JUnit XML in the workspace for the build's test results.
 */
public final class AgentValidate extends MasterToSlaveFileCallable<AgentValidate.Outcome> {
  private static final long serialVersionUID = 1L;

  private final String pipeline;
  private final LinkedHashMap<String, String> params;
  private final String junitFile;

  /** @param junitFile where the JUnit XML goes, relative to the workspace; "" writes none */
  public AgentValidate(String pipeline, Map<String, String> params, String junitFile) {
    this.pipeline = pipeline;
    this.params = new LinkedHashMap<>(params);
    this.junitFile = junitFile;
  }

  /**
   * @param report compiler-style text, one problem per line with its hint
   * @param errorHeadlines {@code file:line:col: error KFP0xx: message} of every error
   */
  public record Outcome(String report, long errors, long warnings, List<String> errorHeadlines) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public Outcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
    Path ws = workspace.toPath();
    Path file = Workspaces.resolve(ws, pipeline);
    String shown = Workspaces.display(ws, file);
    List<Problem> problems = new ArrayList<>();
    try {
      if (Files.size(file) > PipelineLoader.MAX_FILE_BYTES) {
        throw new AbortException(shown + ": larger than " + (PipelineLoader.MAX_FILE_BYTES >> 20) + " MiB; not a pipeline");
      }
      PipelineDocument document = PipelineLoader.load(shown, Files.readAllBytes(file));
      problems.addAll(Validator.validate(document).problems());
      problems.addAll(RunParameters.check(document, params));
    } catch (NoSuchFileException e) {
      throw new AbortException(shown + ": no such file");
    } catch (InvalidPipelineException e) {
      problems.addAll(e.problems());
    }
    ValidationReport report = new ValidationReport(shown, problems);
    if (!junitFile.isBlank()) {
      Path xml = Workspaces.resolve(ws, junitFile);
      Path parent = xml.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(xml, ReportWriters.junit(List.of(report)), StandardCharsets.UTF_8);
    }
    return new Outcome(ReportWriters.text(List.of(report)), report.errorCount(), report.warningCount(),
        report.problems().stream().filter(Problem::isError).map(Problem::headline).toList());
  }
}
