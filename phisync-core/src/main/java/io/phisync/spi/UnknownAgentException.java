package io.phisync.spi;

/** An agent that the root does not know. */
public class UnknownAgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownAgentException(String message) {
    super(message);
  }
}
