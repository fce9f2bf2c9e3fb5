package io.phisync.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a class's {@code main} in a child JVM on the test class path, its output to a log file.
 * Only the processes started here are ever signalled: faults are injected into our own children.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with system properties and arguments; output goes to {@code log}. */
  public static Process start(
      Class<?> main, Map<String, String> properties, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx96m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Sends a POSIX signal (e.g. {@code STOP}, {@code CONT}, {@code KILL}) to our own child. */
  public static void signal(Process process, String signal) throws IOException {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IOException("kill -" + signal + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling " + process.pid(), e);
    }
  }

  /** Kills the process with SIGKILL and waits for it; true when it is gone. */
  public static boolean kill9(Process process) throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on POSIX.
    return process.waitFor(30, TimeUnit.SECONDS);
  }
}
