package io.phisync.state;

/**
 * How a state store behaves.
 *
 * @param historyLimit how many revisions of each key to keep (at least 1); older ones are pruned
 *     after each write
 */
public record StateOptions(int historyLimit) {
  /** Keeps the last 10 revisions of each key. */
  public static final int DEFAULT_HISTORY_LIMIT = 10;

  public StateOptions {
    if (historyLimit < 1) {
      throw new IllegalArgumentException("historyLimit must be at least 1, got " + historyLimit);
    }
  }

  /** The defaults: keep the last 10 revisions. */
  public static StateOptions defaults() {
    return new StateOptions(DEFAULT_HISTORY_LIMIT);
  }
}
