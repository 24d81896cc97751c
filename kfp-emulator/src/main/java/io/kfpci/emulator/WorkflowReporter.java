package io.kfpci.emulator;

import java.time.Instant;

/**
 * The channel through which a {@link RunExecutor} reports a run's workflow, the way KFP's
 * persistence agent does. Thread-safe; a report about an unknown or deleted run is ignored (so is
 * one made from inside {@link RunExecutor#submit}, before the run is stored). Never call it while
 * holding a lock that {@link RunExecutor#submit}, {@code terminate} or {@code retry} also take: the
 * emulator calls those while holding its state lock, which {@link #report} takes too.
 */
public interface WorkflowReporter {
  void report(String runId, WorkflowReport report);

  /** The emulator's clock, for node start and end times. */
  Instant now();
}
