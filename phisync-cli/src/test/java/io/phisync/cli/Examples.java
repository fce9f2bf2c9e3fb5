package io.phisync.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The checkout's examples/ directory, and whether the example agents can run here. */
final class Examples {
  private Examples() {}

  /** examples/ at the root of the checkout (tests run in the module's directory). */
  static Path directory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("examples/agents"))) {
        return dir.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples/agents above " + Path.of("").toAbsolutePath());
  }

  /** Whether {@code python3} runs. */
  static boolean hasPython() {
    try {
      Process process =
          new ProcessBuilder("python3", "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
