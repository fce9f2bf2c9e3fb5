package io.phisync.agent;

/** A program run as a handler failed: it exited non-zero, timed out, or wrote no valid answer. */
public final class ProgramFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProgramFailedException(String message) {
    super(message);
  }

  public ProgramFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
