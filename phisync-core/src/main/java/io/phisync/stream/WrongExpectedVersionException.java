package io.phisync.stream;

/** An append whose expected version is not the stream's version; nothing was appended. */
public final class WrongExpectedVersionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long expected;
  private final long actual;

  public WrongExpectedVersionException(String stream, long expected, long actual) {
    super("stream '" + stream + "' is at version " + actual + ", not the expected " + expected);
    this.expected = expected;
    this.actual = actual;
  }

  /** The version the append expected. */
  public long expected() {
    return expected;
  }

  /** The stream's version when the append was refused. */
  public long actual() {
    return actual;
  }
}
