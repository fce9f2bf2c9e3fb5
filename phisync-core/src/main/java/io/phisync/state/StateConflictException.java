package io.phisync.state;

import org.jspecify.annotations.Nullable;

/** A conditional write whose expectation did not hold; carries what is there now. */
public final class StateConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient CasResult.Conflict conflict;

  public StateConflictException(String key, CasResult.Conflict conflict) {
    super(
        "conflict on '"
            + key
            + "': the current revision is "
            + conflict.currentRevision()
            + (conflict.current() != null && conflict.current().deleted() ? " (deleted)" : ""));
    this.conflict = conflict;
  }

  /** The current revision, 0 when the key has none. */
  public long currentRevision() {
    return conflict.currentRevision();
  }

  /** The key's latest revision now, or {@code null} when it has none. */
  public @Nullable Versioned current() {
    return conflict.current();
  }
}
