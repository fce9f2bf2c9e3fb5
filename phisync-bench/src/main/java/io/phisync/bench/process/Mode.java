package io.phisync.bench.process;

import io.phisync.spi.Durability;
import java.util.Locale;

/**
 * How writes reach the disk: {@code fast} skips fsync, {@code durable} fsyncs file and directory.
 */
public enum Mode {
  FAST,
  DURABLE;

  /** The PhiSync durability of this mode. */
  public Durability durability() {
    return this == FAST ? Durability.FAST : Durability.DURABLE;
  }

  /** Whether writes in this mode fsync. */
  public boolean fsync() {
    return this == DURABLE;
  }

  /** The lower-case name used on command lines and in reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #label()}. */
  public static Mode of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
