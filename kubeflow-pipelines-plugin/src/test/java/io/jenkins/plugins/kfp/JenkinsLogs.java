package io.jenkins.plugins.kfp;

import hudson.model.Run;
import java.io.IOException;
import java.io.StringWriter;

/** A build's whole console as plain text. */
final class JenkinsLogs {
  private JenkinsLogs() {}

  static String text(Run<?, ?> build) throws IOException {
    StringWriter out = new StringWriter();
    build.getLogText().writeLogTo(0, out);
    return out.toString();
  }
}
