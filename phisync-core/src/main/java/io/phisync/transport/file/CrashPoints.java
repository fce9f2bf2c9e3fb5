package io.phisync.transport.file;

import org.jspecify.annotations.Nullable;

/**
 * Test-only crash injection: {@link #reach} halts the JVM (no shutdown hooks, no finally blocks,
 * like {@code kill -9}) when the system property {@code phisync.crashPoint} names the point
 * reached; {@code <point>@<n>} halts at its n-th reach (a step that an operation passes more than
 * once). {@code <point>:<suffix>} counts only the reaches of a point that writes a file in a
 * directory whose name ends with {@code suffix} (e.g. {@code createNew.tempWritten:.journal}: a
 * workflow journal entry, not a message or a lock record). Without the property it is a read of one
 * static final field and one volatile one. The crash-point tests (CrashPointsTest) run a child JVM
 * with each point named and check what survives on restart; in-process race tests set {@link
 * #onReach} to act at a point (another "process" moving a file in between).
 */
final class CrashPoints {
  static final String PROPERTY = "phisync.crashPoint";

  /** Exit status of a JVM halted at a crash point. */
  static final int HALT_STATUS = 77;

  private static final @Nullable String ARMED = armed(System.getProperty(PROPERTY));
  private static final @Nullable String DIRECTORY = directory(ARMED);
  private static final @Nullable String POINT = point(ARMED);

  /** Test-only: called with every point reached in this JVM, when set. */
  static volatile java.util.function.@Nullable Consumer<String> onReach;

  private static final int NTH = nth(System.getProperty(PROPERTY));
  private static final java.util.concurrent.atomic.AtomicInteger REACHED =
      new java.util.concurrent.atomic.AtomicInteger();

  private CrashPoints() {}

  /** Halts the JVM when {@code point} is the armed crash point; otherwise does nothing. */
  static void reach(String point) {
    java.util.function.Consumer<String> hook = onReach;
    if (hook != null) {
      hook.accept(point);
    }
    if (ARMED != null && DIRECTORY == null && ARMED.equals(point)) {
      halt();
    }
  }

  /**
   * As {@link #reach(String)}, for a step that writes {@code target}: also halts when the armed
   * point is {@code <point>:<suffix>} and {@code target}'s directory name ends with the suffix.
   */
  static void reach(String point, java.nio.file.Path target) {
    reach(point);
    if (DIRECTORY != null && point.equals(POINT)) {
      java.nio.file.Path dir = target.getParent();
      java.nio.file.Path name = dir == null ? null : dir.getFileName();
      if (name != null && name.toString().endsWith(DIRECTORY)) {
        halt();
      }
    }
  }

  private static void halt() {
    if (REACHED.incrementAndGet() == NTH) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }

  private static @Nullable String point(@Nullable String armed) {
    return armed == null || armed.indexOf(':') < 0 ? armed : armed.substring(0, armed.indexOf(':'));
  }

  private static @Nullable String directory(@Nullable String armed) {
    return armed == null || armed.indexOf(':') < 0 ? null : armed.substring(armed.indexOf(':') + 1);
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
