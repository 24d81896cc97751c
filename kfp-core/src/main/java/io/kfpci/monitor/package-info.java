/**
 * Watching local pipeline runs from a process that may die and come back: a Jenkins controller
 * that restarts, an agent connection that drops, a CLI that is interrupted.
 *
 * <h2>The protocol</h2>
 *
 * <ol>
 *   <li>{@link io.kfpci.monitor.DetachedLauncher} starts the local runner as a detached process
 *       (its own session and process group where the platform allows, stdin from nowhere,
 *       stdout and stderr to {@code runner.stdout} and {@code runner.stderr} in the run
 *       directory) and returns a {@link io.kfpci.monitor.RunHandle}: run directory, pid and the
 *       process start time that tells the runner apart from a later process reusing its pid.
 *   <li>{@link io.kfpci.monitor.RunWatcher} polls the run directory written by the runner
 *       (docs/run-summary.md): {@code summary.json} for run and task states, {@code run.log}
 *       from a byte offset for log lines. Each poll returns {@link io.kfpci.monitor.RunEvent}s
 *       and the next {@link io.kfpci.monitor.WatchState}.
 *   <li>The caller persists the {@code WatchState} ({@link io.kfpci.monitor.WatchState#toJson()})
 *       after it has handled the events of a poll. A new watcher made from the persisted state
 *       continues exactly where the old one stopped: no log line is repeated or lost, no state
 *       change is reported twice, and nothing is re-run (the runner never learns that its watcher
 *       went away).
 *   <li>{@link io.kfpci.monitor.RunCanceller} asks the runner to stop (SIGTERM: the runner stops
 *       its tasks, still runs exit handlers and ends the run CANCELED) and, after a grace period,
 *       kills what is left of the process tree.
 * </ol>
 *
 * <h2>What is persisted</h2>
 *
 * Only identifiers and offsets: the {@code WatchState} JSON (run directory, pid, process start,
 * log byte offset, last seen run and task states). Never a file handle, stream or process object.
 *
 * <h2>Threads</h2>
 *
 * Every class here is either an immutable value or used by one thread at a time; a watcher does
 * blocking file I/O on the caller's thread and never starts threads of its own. In Jenkins the
 * launcher, the watcher and the canceller run on the agent inside short remote calls, scheduled
 * from the controller's timer thread; nothing blocks while the run is in progress.
 */
package io.kfpci.monitor;
