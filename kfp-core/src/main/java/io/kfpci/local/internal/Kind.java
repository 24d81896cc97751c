package io.kfpci.local.internal;

/** What a node of a local run is; {@link #summaryName()} is the run summary's {@code kind}. */
public enum Kind {
  /** A container executor: a process on the agent or in a container engine. */
  CONTAINER,
  /** An importer executor: registers an existing artifact, runs nothing. */
  IMPORTER,
  /** A nested DAG: a sub-pipeline, a condition branch or an exit handler's body. */
  DAG,
  /** A ParallelFor task; its iterations are {@link #ITERATION} nodes. */
  LOOP,
  /** One iteration of a ParallelFor: a DAG with the loop item as an extra input. */
  ITERATION;

  public String summaryName() {
    return switch (this) {
      case CONTAINER -> "container";
      case IMPORTER -> "importer";
      case DAG, ITERATION -> "dag";
      case LOOP -> "loop";
    };
  }

  /** Nodes that run an executor (and so have attempts, logs and stored outputs). */
  public boolean isExecutor() {
    return this == CONTAINER || this == IMPORTER;
  }

  /** Nodes whose children live in their own scope. */
  public boolean isScope() {
    return this == DAG || this == ITERATION;
  }
}
