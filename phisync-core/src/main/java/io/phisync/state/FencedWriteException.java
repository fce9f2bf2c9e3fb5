package io.phisync.state;

/** A write refused because its fencing token is lower than one already committed for the key. */
public final class FencedWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long highestToken;

  public FencedWriteException(String key, long token, long highestToken) {
    super(
        "write to '"
            + key
            + "' refused: fencing token "
            + token
            + " is lower than "
            + highestToken
            + ", already committed (the lock was granted to someone else since)");
    this.highestToken = highestToken;
  }

  /** The highest token committed for the key. */
  public long highestToken() {
    return highestToken;
  }
}
