package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;

/**
 * Reads a compiled pipeline from the workspace for an upload: at most the loader's limit, validated
 * by the core as {@code kfpci upload} validates it, so a broken pipeline never reaches the server.
 * Only the bytes travel to the controller, which talks to KFP: the endpoint's token never reaches
 * the agent.
 */
public final class AgentReadPipeline extends MasterToSlaveFileCallable<AgentReadPipeline.Read> {
  private static final long serialVersionUID = 1L;

  private final String pipeline;

  /** @param pipeline the IR file, relative to the workspace or absolute */
  public AgentReadPipeline(String pipeline) {
    this.pipeline = pipeline;
  }

  /**
   * The file as uploaded, or why it is not uploaded.
   *
   * @param shown the file as messages name it (relative to the workspace when inside)
   * @param fileName its name, as the server records it
   * @param content its bytes, or empty when {@code problems} is not
   * @param problems {@code file:line:col: error KFP0xx: message} of each error, or the one reason
   */
  public record Read(String shown, String fileName, byte[] content, List<String> problems) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Read {
      content = content.clone();
      problems = List.copyOf(problems);
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }

  @Override
  public Read invoke(File workspace, VirtualChannel channel) throws IOException {
    Path ws = workspace.toPath();
    Path file = Workspaces.resolve(ws, pipeline);
    String shown = Workspaces.display(ws, file);
    Path fileName = file.getFileName();
    String name = fileName == null ? pipeline : fileName.toString();
    if (name.endsWith(".py")) {
      return new Read(shown, name, new byte[0], List.of(shown + ": a .py pipeline is compiled first: "
          + "def ir = kfpCompile(pipeline: '" + pipeline + "'), then upload ir"));
    }
    try {
      if (Files.size(file) > PipelineLoader.MAX_FILE_BYTES) {
        return new Read(shown, name, new byte[0], List.of(shown + ": larger than "
            + (PipelineLoader.MAX_FILE_BYTES >> 20) + " MiB; not a pipeline"));
      }
      byte[] bytes = Files.readAllBytes(file);
      PipelineDocument document = PipelineLoader.load(shown, bytes);
      ValidationReport report = Validator.validate(document);
      List<String> errors = report.problems().stream().filter(Problem::isError).map(Problem::headline).toList();
      return new Read(shown, name, errors.isEmpty() ? bytes : new byte[0], errors);
    } catch (NoSuchFileException e) {
      return new Read(shown, name, new byte[0], List.of(shown + ": no such file"));
    } catch (InvalidPipelineException e) {
      return new Read(shown, name, new byte[0],
          e.problems().stream().filter(Problem::isError).map(Problem::headline).toList());
    }
  }
}
