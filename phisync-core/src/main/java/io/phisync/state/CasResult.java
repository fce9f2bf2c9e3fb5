package io.phisync.state;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The outcome of a compare-and-set: committed, a conflict, or refused by fencing. */
public sealed interface CasResult {

  /** Whether the write was committed. */
  default boolean committed() {
    return this instanceof Committed;
  }

  /**
   * The write is the key's new latest revision.
   *
   * @param revision what was committed
   */
  record Committed(Versioned revision) implements CasResult {}

  /**
   * The expectation did not hold; nothing was written.
   *
   * @param current the key's latest revision now, or {@code null} when it has none
   */
  record Conflict(@Nullable Versioned current) implements CasResult {
    /** The current revision, 0 when the key has none. */
    public long currentRevision() {
      return current == null ? 0 : current.revision();
    }

    /** The current revision, if any. */
    public Optional<Versioned> currentValue() {
      return Optional.ofNullable(current);
    }
  }

  /**
   * The write carried a fencing token lower than one already committed for the key: it comes from a
   * superseded lock holder. Nothing was written.
   *
   * @param highestToken the highest token committed for the key
   * @param current the key's latest revision
   */
  record Fenced(long highestToken, Versioned current) implements CasResult {}
}
