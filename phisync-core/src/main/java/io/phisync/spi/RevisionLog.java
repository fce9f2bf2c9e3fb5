package io.phisync.spi;

import io.phisync.protocol.StateKey;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Per-key logs of numbered revisions, committed by compare-and-set: revision {@code n + 1} can be
 * committed once, by exactly one of any number of competing writers, in any process. This is the
 * storage under the state store, the locks and the streams; their meaning lives above it.
 *
 * <p>Each key may also have a <em>view</em>: one plain file for simple readers (the latest value, a
 * lock's owner record), replaced atomically. Views are a convenience, refreshed after commits; the
 * log is the truth.
 *
 * <p>Implementations are thread-safe and safe across processes.
 */
public interface RevisionLog {

  /**
   * The latest revision of {@code key}, or empty when it has none. The latest revision is never
   * pruned.
   */
  Optional<Revision> latest(StateKey key);

  /** Revision {@code revision} of {@code key}; empty when it does not exist or was pruned. */
  Optional<Revision> read(StateKey key, long revision);

  /** The kept revisions of {@code key} from {@code fromRevision} on, oldest first. */
  List<Revision> from(StateKey key, long fromRevision);

  /**
   * Commits {@code record} as revision {@code revision} of {@code key} if no revision with that
   * number exists yet; never replaces one. The caller passes the latest revision it read plus one.
   *
   * @return whether this call committed it (false: another writer got there first)
   */
  boolean tryCommit(StateKey key, long revision, ObjectNode record);

  /**
   * Drops the record of revisions of {@code key} older than its newest {@code keep} (at least 1).
   * Their numbers stay taken: a pruned revision can never be committed again.
   */
  void prune(StateKey key, int keep);

  /** The keys that have revisions, in order, whose value starts with {@code prefix}. */
  List<StateKey> keys(String prefix);

  /** Wakes a waiter when {@code key} may have a new revision. */
  Wakeup watch(StateKey key);

  /** The content of {@code key}'s view file, if there is one. */
  Optional<byte[]> view(StateKey key);

  /** Replaces {@code key}'s view atomically. */
  void writeView(StateKey key, byte[] content);

  /**
   * Creates {@code key}'s view only if there is none.
   *
   * @return whether it was created
   */
  boolean createView(StateKey key, byte[] content);

  /** Removes {@code key}'s view, if there is one. */
  void deleteView(StateKey key);
}
