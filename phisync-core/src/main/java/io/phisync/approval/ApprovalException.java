package io.phisync.approval;

/** An approval operation that cannot be done; the message says what is wrong and what to do. */
public final class ApprovalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ApprovalException(String message) {
    super(message);
  }

  public ApprovalException(String message, Throwable cause) {
    super(message, cause);
  }
}
