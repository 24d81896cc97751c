package io.kfpci.emulator;

/**
 * How the emulator's runs progress: the part Kubernetes, Argo and the persistence agent play behind
 * a real KFP API server. The emulator calls it on CreateRun, TerminateRun and RetryRun; the executor
 * reports the workflow through the {@link WorkflowReporter} it was given, from any thread, whenever
 * it likes. Until its first report a run is PENDING with no {@code run_details}, as on the server.
 *
 * <p>Implementations: {@link ScriptedRunExecutor} (the default: a timed or hand-driven progression
 * with realistic Argo nodes) and anything a test writes, such as one that executes the run for real
 * with the local runner and reports its task states.
 *
 * <p>Calls come from the emulator's HTTP threads; they must not block for long.
 */
public interface RunExecutor {
  /** Called once, before the emulator starts reporting; the reporter stays valid until close. */
  void attach(WorkflowReporter reporter);

  /**
   * A new run. Throw {@link SubmissionRefusedException} to make CreateRun fail the way a server
   * whose Kubernetes is unreachable does (500, no run stored).
   */
  void submit(RunSubmission run) throws SubmissionRefusedException;

  /**
   * TerminateRun: the server has already shown the run as CANCELING; the executor should end the
   * workflow (a 2.17 server then reports it FAILED: it never produces CANCELED).
   */
  void terminate(String runId);

  /** RetryRun of a FAILED run: the server has set it RUNNING again; the executor resumes it. */
  void retry(String runId);

  /** The emulator is closing: stop any threads. */
  default void close() {}
}
