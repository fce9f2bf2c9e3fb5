package io.phisync.bench.process;

import io.phisync.protocol.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The parent's handle on one benchmark child JVM: started with this JVM's class path, it reports
 * {@code ready}, starts on {@link #go()}, and reports one {@link ChildResult}. Its stderr goes to a
 * log file, shown when it fails.
 */
public final class Child implements AutoCloseable {
  /**
   * The argument naming how many messages a role runs through its code path, after its usual
   * warm-up and before it reports ready, to reach the JIT's steady state (see {@code
   * Warmup.phisyncBurst}); none when absent.
   */
  public static final String BURST = "warmup";

  private final Process process;
  private final Path log;
  private final String role;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<ChildResult> result = new CompletableFuture<>();
  private volatile Consumer<String> progress = step -> {};

  private Child(Process process, Path log, String role) {
    this.process = process;
    this.log = log;
    this.role = role;
    Thread reader = new Thread(this::read, "bench-child-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code role} with these arguments; {@code subject} and {@code mode} are passed as
   * arguments too. The log file is {@code logDir/<role>-<pid>.log}.
   */
  public static Child start(
      Path logDir, String role, Subject subject, Mode mode, Map<String, Object> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.add("-cp");
    command.add(classPath());
    command.add(ChildMain.class.getName());
    command.add(role);
    command.add("subject=" + subject.label());
    command.add("mode=" + mode.label());
    args.forEach((key, value) -> command.add(key + "=" + value));
    Files.createDirectories(logDir);
    Path log = Files.createTempFile(logDir, role + "-", ".log");
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    return new Child(process, log, role);
  }

  /** This JVM's java executable. */
  public static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** This JVM's class path, absolute. */
  public static String classPath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("ready")) {
          ready.complete(null);
        } else if (line.startsWith("progress ")) {
          progress.accept(line.substring(9));
        } else if (line.startsWith("result ")) {
          result.complete(Json.mapper().readValue(line.substring(7), ChildResult.class));
        }
      }
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(e);
    }
    IllegalStateException ended = new IllegalStateException(role + " child ended: " + logTail());
    ready.completeExceptionally(ended);
    result.completeExceptionally(ended);
  }

  /** Where the child's progress lines go (nowhere by default); returns this child. */
  public Child progressTo(Consumer<String> display) {
    this.progress = display;
    return this;
  }

  /** Waits until the child has prepared. */
  public void awaitReady(Duration timeout) throws Exception {
    await(ready, timeout, "ready");
  }

  /** Lets the child start its timed work. */
  public void go() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write("go\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Waits for the child's result. */
  public ChildResult awaitResult(Duration timeout) throws Exception {
    return await(result, timeout, "its result");
  }

  private <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws Exception {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          role + " child: no " + what + " within " + timeout + ": " + logTail(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(String.valueOf(cause.getMessage()), cause);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
