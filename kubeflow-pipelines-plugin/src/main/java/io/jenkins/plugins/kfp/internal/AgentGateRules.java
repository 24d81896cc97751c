package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import io.kfpci.gate.GateException;
import io.kfpci.gate.GateRule;
import io.kfpci.gate.GateRules;
import io.kfpci.gate.RuleSeverity;
import java.io.File;
import java.io.Serializable;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;

/**
 * Reads a gate rules file from the workspace with the core's loader (docs/gates.md), on the agent
 * that holds it. Only each rule's text, severity and origin travel back; the controller parses
 * the text again ({@link #rules}), so no core object crosses the channel.
 */
public final class AgentGateRules extends MasterToSlaveFileCallable<AgentGateRules.Loaded> {
  private static final long serialVersionUID = 1L;

  private final String rulesFile;

  /** @param rulesFile relative to the workspace, or absolute */
  public AgentGateRules(String rulesFile) {
    this.rulesFile = rulesFile;
  }

  /** One rule of the file as written, with where it stands ({@code gates.yaml:7}). */
  public record Line(String text, RuleSeverity severity, String origin) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The file's rules, or why it has none: the message names the file and line. (An error travels
   * back as text, so the controller fails the step with the message and no agent stack trace.)
   */
  public record Loaded(List<Line> lines, String error) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Loaded {
      lines = List.copyOf(lines);
    }
  }

  @Override
  public Loaded invoke(File workspace, VirtualChannel channel) {
    try {
      return new Loaded(GateRules.load(Workspaces.resolve(workspace.toPath(), rulesFile)).stream()
          .map(r -> new Line(r.text(), r.severity(), r.origin())).toList(), null);
    } catch (GateException e) {
      return new Loaded(List.of(), e.getMessage());
    }
  }

  /** The lines as rules again; they parsed on the agent, so they parse here. */
  public static List<GateRule> rules(List<Line> lines) throws GateException {
    List<GateRule> out = new java.util.ArrayList<>();
    for (Line line : lines) {
      out.add(GateRules.parse(line.text(), line.severity(), line.origin()));
    }
    return out;
  }
}
