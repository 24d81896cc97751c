package io.jenkins.plugins.kfp.steps;

/**
 * What remote {@code kfpRun} does next, from its persisted state alone: the decision
 * {@link KfpRemoteRunExecution} makes on start, on resume and after a stop. Jenkins-free, so the
 * default build tests it.
 *
 * <p>A run the server may hold is never submitted twice: once a submission was sent (its mark is
 * persisted before the create), a resumed step looks for the run by that mark instead. A stop while
 * the run's id is unknown sends nothing new; a create already in flight is terminated by the
 * submitting thread as soon as its answer arrives (it sees the stop then).
 */
enum RemoteDecision {
  /** The step is over, or stopped before the run's id is known: send nothing. */
  ABANDON,
  /** Nothing was sent yet: upload and create the run. */
  SUBMIT,
  /** A create was sent but its answer was lost (restart): find the run by its mark, else create it. */
  FIND_SUBMISSION,
  /** The run's id is known: watch it (and terminate it first when stopping). */
  WATCH;

  static RemoteDecision of(boolean finished, boolean stopping, boolean submissionSent, boolean runKnown) {
    if (finished) {
      return ABANDON;
    }
    if (runKnown) {
      return WATCH;
    }
    if (stopping) {
      return ABANDON;
    }
    return submissionSent ? FIND_SUBMISSION : SUBMIT;
  }

  /** Whether a check should first ask the server to terminate the run. */
  static boolean terminateFirst(boolean stopping, boolean terminateRequested) {
    return stopping && !terminateRequested;
  }
}
