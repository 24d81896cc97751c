package io.jenkins.plugins.kfp.internal;

import io.kfpci.KfpException;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.TaskSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the controller keeps of a run ({@code <build dir>/kfp/<run id>/summary.json} and
 * {@code report.html}), and the checks on everything an agent reports before the controller uses
 * it. Jenkins-free, so the default build tests it.
 *
 * <p>Nothing an agent says is trusted to name a file: the build's own code runs there and can
 * rewrite summary.json, or the agent itself may be hostile. So the storage directory is named by
 * the run id the controller chose (never the summary's), a summary for another run is refused, and
 * every path in a summary or a launch answer must stay inside the run's own directory.
 */
public final class RunStorage {
  /** The build's subdirectory for runs. */
  public static final String DIRECTORY = "kfp";
  public static final String SUMMARY_FILE = "summary.json";
  public static final String REPORT_FILE = "report.html";
  /** The run ids the local runner accepts (LocalRunSpec): one plain file name, never "." or "..". */
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:.*");

  private RunStorage() {}

  /** {@code <buildDir>/kfp/<runId>}, once the run id is known to name nothing else. */
  public static Path directory(Path buildDir, String runId) throws KfpException {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new KfpException("'" + runId + "' is not a run id (letters, digits, '.', '_' and '-', starting with a"
          + " letter or digit)");
    }
    Path root = buildDir.resolve(DIRECTORY).normalize();
    Path dir = root.resolve(runId).normalize();
    if (!root.equals(dir.getParent())) {
      throw new KfpException("run id '" + runId + "' names a directory outside " + root);
    }
    return dir;
  }

  /**
   * Checks the summary an agent reported for the run this controller started as {@code runId},
   * then writes it to the build's storage directory for that run. Nothing is written unless every
   * check passes.
   *
   * @param source where the agent read the summary, for messages
   * @return the checked summary and the directory it was stored in
   */
  public static Stored store(Path buildDir, String runId, String summaryJson, String source)
      throws KfpException, IOException {
    Path dir = directory(buildDir, runId);
    RunSummary summary = accept(summaryJson, runId, source);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(SUMMARY_FILE), summaryJson, StandardCharsets.UTF_8);
    return new Stored(summary, dir);
  }

  /** A summary stored in the build, and where. */
  public record Stored(RunSummary summary, Path directory) {
    public Path report() {
      return directory.resolve(REPORT_FILE);
    }
  }

  /**
   * Parses and checks a summary an agent reported: it is the summary of {@code runId}, and every
   * file it names (task logs, local artifacts) is relative and stays inside the run directory.
   */
  public static RunSummary accept(String summaryJson, String runId, String source) throws KfpException {
    RunSummary summary = RunSummaryJson.fromJson(summaryJson, source);
    if (!summary.runId().equals(runId)) {
      throw new KfpException(source + ": field run_id is '" + summary.runId() + "', but this build started run '"
          + runId + "'; the summary is not used");
    }
    List<TaskSummary> tasks = summary.tasks();
    for (int t = 0; t < tasks.size(); t++) {
      TaskSummary task = tasks.get(t);
      if (!task.log().isEmpty()) {
        checkInside(source, "tasks[" + t + "].log", task.log());
      }
      List<ArtifactSummary> artifacts = task.artifacts();
      for (int a = 0; a < artifacts.size(); a++) {
        if (artifacts.get(a).path() != null) {
          checkInside(source, "tasks[" + t + "].artifacts[" + a + "].path", artifacts.get(a).path());
        }
      }
    }
    return summary;
  }

  /**
   * Checks the paths an agent reported for a run it prepared: the run directory and the spec file
   * are absolute, have no {@code ..}, and are named for the run ({@code <root>/<pipeline>/<run id>}
   * and {@code <root>/.launch/<run id>/run-spec.json}).
   */
  public static void checkLaunchPaths(String runDir, String specFile, String runId) throws KfpException {
    List<String> dir = segments(runDir);
    if (!isAbsolute(runDir) || dir.contains("..") || dir.isEmpty() || !dir.get(dir.size() - 1).equals(runId)) {
      throw new KfpException("the agent reported run directory '" + runDir + "' for run '" + runId
          + "': not an absolute path ending in the run id");
    }
    List<String> spec = segments(specFile);
    if (!isAbsolute(specFile) || spec.contains("..") || spec.size() < 2
        || !spec.get(spec.size() - 1).equals(LocalRunnerSpec.FILE_NAME) || !spec.get(spec.size() - 2).equals(runId)) {
      throw new KfpException("the agent reported run spec '" + specFile + "' for run '" + runId
          + "': not an absolute path ending in " + runId + "/" + LocalRunnerSpec.FILE_NAME);
    }
  }

  private static void checkInside(String source, String field, String path) throws KfpException {
    List<String> parts = segments(path);
    if (isAbsolute(path) || parts.isEmpty() || parts.contains("..")) {
      throw new KfpException(source + ": field " + field + " is '" + path
          + "', which is not a path inside the run directory");
    }
  }

  /** Absolute on Unix or Windows agents alike ({@code /x}, {@code \\host\x}, {@code C:\x}, {@code C:/x}). */
  private static boolean isAbsolute(String path) {
    return path.startsWith("/") || path.startsWith("\\") || DRIVE.matcher(path).matches();
  }

  /** The non-empty, non-"." names of a path, split on both separators. */
  private static List<String> segments(String path) {
    return Pattern.compile("[/\\\\]+").splitAsStream(path).filter(s -> !s.isEmpty() && !s.equals(".")).toList();
  }
}
