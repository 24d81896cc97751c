package io.kfpci.deploy;

import io.kfpci.report.GateResult;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import java.util.List;

/**
 * Whether a run may be deployed: it SUCCEEDED and its gate verdicts (written by {@code kfpci gate})
 * all held. {@code --force} deploys anyway, and the override is recorded as a gate verdict of its
 * own ({@link #FORCED}) so the summary and the report keep saying so.
 */
public final class DeployGuard {
  /** The verdict word of the record a forced deploy leaves in the summary's gates. */
  public static final String FORCED = "forced";

  private DeployGuard() {}

  /**
   * @return "" when the run may be deployed, else why not (one sentence)
   */
  public static String refusal(RunSummary summary) {
    if (summary.state() != RuntimeState.SUCCEEDED) {
      return "run " + summary.runId() + " is " + summary.state() + ", not SUCCEEDED";
    }
    List<GateResult> gates = summary.gates().stream().filter(g -> !FORCED.equals(g.verdict())).toList();
    if (gates.isEmpty()) {
      return "run " + summary.runId() + " has no gate verdicts; run kfpci gate on its summary first";
    }
    List<GateResult> failing = gates.stream().filter(g -> !g.passed()).toList();
    if (!failing.isEmpty()) {
      GateResult first = failing.get(0);
      return "run " + summary.runId() + " did not pass its gate: " + first.expression() + " " + first.verdictWord()
          + (first.message().isEmpty() ? "" : " (" + first.message() + ")")
          + (failing.size() > 1 ? ", and " + (failing.size() - 1) + " more" : "");
    }
    return "";
  }

  /** The record a forced deploy adds to the summary's gates. */
  public static GateResult forcedRecord(String target, String refusal) {
    return new GateResult("deploy", "deploy --force", null, false,
        "deployed " + target + " without a passing gate: " + refusal, "override", FORCED, null, null);
  }
}
