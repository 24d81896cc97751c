package io.kfpci.local;

import io.kfpci.report.RunSummary;

/**
 * Receives a local run's progress. {@link #line} gets every run.log line (state changes and task
 * output, each prefixed with {@code [task-id] }) from the coordinator or a task's worker thread,
 * one call at a time; {@link #summary} gets the summary after each state change, on the
 * coordinator thread. Implementations must be quick: they are called inline.
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  default void line(String line) {}

  default void summary(RunSummary summary) {}
}
