package io.phisync.protocol;

/** A file that is not a valid envelope; the message says what is wrong with it. */
public final class MalformedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String reason) {
    super(reason);
  }

  public MalformedMessageException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
