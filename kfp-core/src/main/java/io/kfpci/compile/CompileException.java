package io.kfpci.compile;

import io.kfpci.KfpException;
import java.nio.file.Path;

/**
 * The KFP compiler rejected a pipeline file. Carries the place in the user's file (line 0 when the
 * error is not tied to a line) and the Python traceback, shown only when asked for.
 */
public class CompileException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String pythonMessage;
  private final String traceback;

  public CompileException(Path source, int line, String pythonMessage, String traceback) {
    super(source + (line > 0 ? ":" + line : "") + ": " + pythonMessage);
    this.source = source.toString();
    this.line = line;
    this.pythonMessage = pythonMessage;
    this.traceback = traceback == null ? "" : traceback;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  public String pythonMessage() {
    return pythonMessage;
  }

  public String traceback() {
    return traceback;
  }
}
