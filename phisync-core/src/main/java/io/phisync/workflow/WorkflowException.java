package io.phisync.workflow;

/** A workflow operation that cannot be done; the message says why and what to do. */
public class WorkflowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkflowException(String message) {
    super(message);
  }

  public WorkflowException(String message, Throwable cause) {
    super(message, cause);
  }
}
