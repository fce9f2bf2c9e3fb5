package io.phisync.transport.file;

import org.jspecify.annotations.Nullable;

/**
 * Test-only crash injection: {@link #reach} halts the JVM (no shutdown hooks, no finally blocks,
 * like {@code kill -9}) when the system property {@code phisync.crashPoint} names the point
 * reached. Without the property it is a read of one static final field. The crash-point tests
 * (CrashPointsTest) run a child JVM with each point named and check what survives on restart.
 */
final class CrashPoints {
  static final String PROPERTY = "phisync.crashPoint";

  /** Exit status of a JVM halted at a crash point. */
  static final int HALT_STATUS = 77;

  private static final @Nullable String ARMED = System.getProperty(PROPERTY);

  private CrashPoints() {}

  /** Halts the JVM when {@code point} is the armed crash point; otherwise does nothing. */
  static void reach(String point) {
    if (ARMED != null && ARMED.equals(point)) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
