package io.phisync.transport.file;

import org.jspecify.annotations.Nullable;

/**
 * Test-only crash injection: {@link #reach} halts the JVM (no shutdown hooks, no finally blocks,
 * like {@code kill -9}) when the system property {@code phisync.crashPoint} names the point
 * reached; {@code <point>@<n>} halts at its n-th reach (a step that an operation passes more than
 * once). Without the property it is a read of one static final field. The crash-point tests
 * (CrashPointsTest) run a child JVM with each point named and check what survives on restart.
 */
final class CrashPoints {
  static final String PROPERTY = "phisync.crashPoint";

  /** Exit status of a JVM halted at a crash point. */
  static final int HALT_STATUS = 77;

  private static final @Nullable String ARMED = armed(System.getProperty(PROPERTY));
  private static final int NTH = nth(System.getProperty(PROPERTY));
  private static final java.util.concurrent.atomic.AtomicInteger REACHED =
      new java.util.concurrent.atomic.AtomicInteger();

  private CrashPoints() {}

  /** Halts the JVM when {@code point} is the armed crash point; otherwise does nothing. */
  static void reach(String point) {
    if (ARMED != null && ARMED.equals(point) && REACHED.incrementAndGet() == NTH) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }

  private static @Nullable String armed(@Nullable String property) {
    return property == null || property.indexOf('@') < 0
        ? property
        : property.substring(0, property.indexOf('@'));
  }

  private static int nth(@Nullable String property) {
    return property == null || property.indexOf('@') < 0
        ? 1
        : Integer.parseInt(property.substring(property.indexOf('@') + 1));
  }
}
