package io.jenkins.plugins.kfp.steps;

/**
 * What {@code kfpRun}'s launch does next, from the step's state alone: the decision
 * {@link KfpRunExecution} makes before each attempt, before it schedules another, and between
 * preparing and starting the run. Jenkins-free, so the default build tests it.
 *
 * <p>Once the step has finished (the build was aborted before the run started) or is being
 * stopped, nothing is started and nothing is scheduled again: a launch waiting for an offline
 * agent must not come back later to start a run only to cancel it.
 */
enum LaunchDecision {
  /** The step is over or stopping: start nothing, schedule nothing. */
  ABANDON,
  /** The workspace's node cannot be reached now: look again later. */
  RETRY_LATER,
  /** Go ahead: prepare (unless prepared already) and start the run. */
  LAUNCH;

  /** How long to wait before looking for an unreachable workspace again. */
  static final long RETRY_SECONDS = 15;

  static LaunchDecision of(boolean finished, boolean stopping, boolean workspaceReachable) {
    if (finished || stopping) {
      return ABANDON;
    }
    return workspaceReachable ? LAUNCH : RETRY_LATER;
  }
}
