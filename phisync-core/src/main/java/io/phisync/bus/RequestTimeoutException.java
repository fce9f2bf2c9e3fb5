package io.phisync.bus;

/** No response arrived before the request's deadline. */
public final class RequestTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RequestTimeoutException(String message) {
    super(message);
  }
}
