package io.kfpci.artifacts;

/**
 * The store has no {@code system.PipelineRun} context named after the run: a wrong run id, another
 * cluster's store, or a run whose driver has not started yet.
 */
public class RunNotInMetadataStoreException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  private final String runId;

  public RunNotInMetadataStoreException(String address, String runId) {
    super(address, "the ML Metadata store at " + address + " has no system.PipelineRun context named '"
        + runId + "': check the run id, and that --mlmd points at the store of the cluster that ran it",
        false, null);
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }
}
