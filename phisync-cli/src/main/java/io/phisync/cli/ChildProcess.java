package io.phisync.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Another {@code phisync} in a second JVM with this one's class path. Its output is collected on a
 * daemon thread; {@link #awaitLine} waits for a line, bounded in time.
 */
final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(String line, CompletableFuture<Void> seen) {}

  private ChildProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::read, "phisync-child-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code phisync args...} with the same java and class path as this process. */
  static ChildProcess start(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    // Quick start-up matters more than peak speed for a short-lived helper.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(absoluteClassPath());
    command.add(Main.class.getName());
    command.addAll(args);
    try {
      return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command.get(0), e);
    }
  }

  /**
   * Starts {@code phisync args...} in the background, its output appended to {@code log}, and
   * returns its pid; it outlives this process.
   */
  static long startDetached(List<String> args, Path log) {
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.add("-cp");
    command.add(absoluteClassPath());
    command.add(Main.class.getName());
    command.addAll(args);
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
          .start()
          .pid();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command.get(0), e);
    }
  }

  private static String nullDevice() {
    return File.separatorChar == '\\' ? "NUL" : "/dev/null";
  }

  static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static String absoluteClassPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  long pid() {
    return process.pid();
  }

  /** Everything it printed so far, stdout and stderr together. */
  String output() {
    return output.toString();
  }

  /**
   * Waits until it prints a line that starts with {@code line}.
   *
   * @throws CliException when it exits first or does not print it within {@code max}
   */
  void awaitLine(String line, Duration max) throws InterruptedException {
    CompletableFuture<Void> seen = new CompletableFuture<>();
    synchronized (waiters) {
      if (output.toString().lines().anyMatch(l -> l.startsWith(line))) {
        return;
      }
      waiters.add(new Waiter(line, seen));
    }
    try {
      seen.get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failure("exited (" + exitText() + ") before it printed '" + line + "'");
    } catch (TimeoutException e) {
      throw failure("did not print '" + line + "' within " + max.toSeconds() + "s");
    }
  }

  /**
   * Waits for it to exit and returns its exit code.
   *
   * @throws CliException when it is still running after {@code max}
   */
  int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      throw failure("did not exit within " + max.toSeconds() + "s");
    }
    return process.exitValue();
  }

  CliException failure(String what) {
    return new CliException(
        ExitCodes.FAILURE,
        "the child process (pid " + process.pid() + ") " + what + "; its output:\n" + output());
  }

  private String exitText() {
    return process.isAlive() ? "still running" : "exit code " + process.exitValue();
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (waiters) {
          output.append(line).append(System.lineSeparator());
          String seen = line;
          waiters.removeIf(w -> seen.startsWith(w.line()) && w.seen().complete(null));
        }
      }
    } catch (IOException e) {
      output.append("(output lost: ").append(e).append(')').append(System.lineSeparator());
    } finally {
      // Wait for the exit so that exitText() can say how it ended.
      process.onExit().join();
      synchronized (waiters) {
        waiters.forEach(w -> w.seen().completeExceptionally(new IllegalStateException("exited")));
        waiters.clear();
      }
    }
  }

  /** Asks it to stop (SIGTERM): an agent drains its work in flight, then exits. */
  void terminate() {
    process.destroy();
  }

  /** Kills it if it is still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
