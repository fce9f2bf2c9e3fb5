package io.phisync.spi;

/** A claim that is no longer held: its lease ran out and the message went back or on. */
public class LeaseLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message);
  }
}
