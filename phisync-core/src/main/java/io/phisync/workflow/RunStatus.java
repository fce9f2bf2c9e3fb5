package io.phisync.workflow;

/** The state of a workflow run. */
public enum RunStatus {
  RUNNING,
  /** A step failed and completed steps' compensations are running. */
  COMPENSATING,
  COMPLETED,
  FAILED,
  CANCELED;

  /** Whether the run has ended. */
  public boolean isDone() {
    return this == COMPLETED || this == FAILED || this == CANCELED;
  }

  /** The name as files and the CLI spell it. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
