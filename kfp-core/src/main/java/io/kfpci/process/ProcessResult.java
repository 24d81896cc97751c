package io.kfpci.process;

/** How a finished child process ended, with its captured output. */
public record ProcessResult(int exitCode, String stdout, String stderr) {
  public boolean succeeded() {
    return exitCode == 0;
  }

  /** The last {@code lines} lines of stderr, else of stdout: what explains a failure. */
  public String tail(int lines) {
    String text = stderr.isBlank() ? stdout : stderr;
    String[] all = text.strip().split("\n");
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
  }
}
