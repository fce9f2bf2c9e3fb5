package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A last-writer-wins register stamped with hybrid logical clock timestamps: the assignment with the
 * greatest timestamp wins. Timestamps order by physical time, logical counter and then node id, so
 * two nodes' concurrent writes are decided the same way everywhere. A cleared register has a stamp
 * and no content.
 *
 * @param content the value; null when never set or cleared
 * @param stamp the winning write's timestamp; null when never written
 */
public record LWWRegister(@Nullable String content, @Nullable HlcTimestamp stamp)
    implements Crdt<LWWRegister, Optional<String>> {
  private static final Comparator<LWWRegister> ORDER =
      Comparator.comparing(
              LWWRegister::stamp, Comparator.nullsFirst(Comparator.<HlcTimestamp>naturalOrder()))
          // Only states no clock would make share a stamp; content decides them, for determinism.
          .thenComparing(LWWRegister::content, Comparator.nullsFirst(Comparator.naturalOrder()));

  /**
   * @throws IllegalArgumentException when there is content without a stamp
   */
  public LWWRegister {
    if (content != null && stamp == null) {
      throw new IllegalArgumentException("a register's content carries the stamp of its write");
    }
  }

  /** A register never written. */
  public static LWWRegister empty() {
    return new LWWRegister(null, null);
  }

  /** Sets {@code value} at {@code stamp}; an older stamp than the current one changes nothing. */
  public LWWRegister assign(String value, HlcTimestamp stamp) {
    return merge(new LWWRegister(Objects.requireNonNull(value, "value"), stamp));
  }

  /** Clears the register at {@code stamp}; an older stamp changes nothing. */
  public LWWRegister clear(HlcTimestamp stamp) {
    return merge(new LWWRegister(null, stamp));
  }

  @Override
  public LWWRegister merge(LWWRegister other) {
    return ORDER.compare(this, other) >= 0 ? this : other;
  }

  @Override
  public Optional<String> value() {
    return Optional.ofNullable(content);
  }

  @Override
  public CrdtType<LWWRegister> type() {
    return CrdtType.LWW_REGISTER;
  }
}
