package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.testing.ChildJvm;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a crash child JVM to its end: halted at its armed point, or finished. */
final class CrashRuns {
  private CrashRuns() {}

  /**
   * Runs {@code main} with {@code <root> <op> <result>}, armed to halt at {@code point}, logging to
   * {@code child.log} in {@code dir}; returns the ended process.
   */
  static Process runToEnd(Class<?> main, String point, Path dir, Path root, String op, Path result)
      throws Exception {
    Process child =
        ChildJvm.start(
            main,
            Map.of(CrashPoints.PROPERTY, point),
            dir.resolve("child.log"),
            root.toString(),
            op,
            result.toString());
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
    return child;
  }
}
