package io.phisync.workflow;

/** An expression that does not compile or cannot be evaluated; the message names it. */
public final class ExpressionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExpressionException(String message) {
    super(message);
  }

  public ExpressionException(String message, Throwable cause) {
    super(message, cause);
  }
}
