package io.phisync.stream;

/**
 * How streams behave.
 *
 * @param snapshotEvery a rebuild that folded at least this many events past the latest snapshot
 *     stores a new one; 0 never does
 * @param snapshotsKept how many snapshots of a stream to keep (at least 1)
 */
public record StreamOptions(int snapshotEvery, int snapshotsKept) {
  public StreamOptions {
    if (snapshotEvery < 0 || snapshotsKept < 1) {
      throw new IllegalArgumentException(
          "snapshotEvery must be 0 or more and snapshotsKept at least 1, got "
              + snapshotEvery
              + " and "
              + snapshotsKept);
    }
  }

  /** Snapshot every 100 events, keep 3. */
  public static StreamOptions defaults() {
    return new StreamOptions(100, 3);
  }
}
