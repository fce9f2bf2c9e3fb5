package io.phisync.spi;

/** A message or response that already exists; messages are never overwritten. */
public class DuplicateMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DuplicateMessageException(String message) {
    super(message);
  }
}
