package io.phisync.spi;

import io.phisync.protocol.StateKey;
import java.util.Optional;

/** Snapshots of streams. Thread-safe and safe across processes. */
public interface SnapshotStore {

  /** Stores a snapshot, replacing one of the same stream and version. */
  void write(Snapshot snapshot);

  /** The snapshot with the highest version of {@code stream}, if any. */
  Optional<Snapshot> latest(StateKey stream);

  /** Removes snapshots of {@code stream} other than the newest {@code keep}. */
  void prune(StateKey stream, int keep);
}
