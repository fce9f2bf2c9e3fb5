package io.phisync.lock;

/** What a lock looks like to one observer now. */
public sealed interface LockStatus {

  /** Nobody holds it. */
  record Free() implements LockStatus {}

  /**
   * Held through PhiSync.
   *
   * @param owner the grant
   * @param expired whether this observer has seen the grant unchanged for longer than its lease
   */
  record Held(LockOwner owner, boolean expired) implements LockStatus {}

  /**
   * A lock file that a foreign script created (not a PhiSync grant), respected as held.
   *
   * @param content the file's text, as found
   * @param expired whether this observer has seen it unchanged for longer than the foreign lease
   */
  record Foreign(String content, boolean expired) implements LockStatus {}
}
