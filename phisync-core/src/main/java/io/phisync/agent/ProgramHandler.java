package io.phisync.agent;

import io.phisync.bus.Durations;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Runs a {@link Program} per message. */
final class ProgramHandler implements AgentHandler {
  /** Pipes of a killed program close when its last process dies; this bounds the wait for that. */
  private static final long PIPE_GRACE_MILLIS = 5_000;

  private static final ExecutorService PUMPS =
      Executors.newCachedThreadPool(Instances.threads("phisync-program-io"));

  private final Program program;

  ProgramHandler(Program program) {
    this.program = program;
  }

  @Override
  public @Nullable JsonNode handle(Delivery delivery) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(program.command());
    Map<String, String> env = builder.environment();
    env.putAll(program.env());
    env.put("PHISYNC_AGENT", delivery.agent().value());
    env.put("PHISYNC_MESSAGE_ID", delivery.message().messageId().value());
    env.put("PHISYNC_ATTEMPT", Integer.toString(delivery.attempt()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ProgramFailedException("could not start " + name() + ": " + e.getMessage(), e);
    }
    try {
      return run(process, EnvelopeCodec.encode(delivery.message()));
    } finally {
      if (process.isAlive()) {
        killTree(process); // Interrupted (a drain's deadline) or failed on the way.
      }
    }
  }

  private @Nullable JsonNode run(Process process, byte[] input) throws Exception {
    CompletableFuture<Void> stdin = CompletableFuture.runAsync(() -> feed(process, input), PUMPS);
    CompletableFuture<Captured> stdout =
        CompletableFuture.supplyAsync(
            () -> capture(process.getInputStream(), Program.MAX_STDOUT_BYTES), PUMPS);
    CompletableFuture<Captured> stderr =
        CompletableFuture.supplyAsync(
            () -> capture(process.getErrorStream(), Program.MAX_STDERR_BYTES), PUMPS);
    if (!process.waitFor(program.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      killTree(process);
      throw new ProgramFailedException(
          name()
              + " timed out after "
              + Durations.format(program.timeout())
              + "; it was killed with its child processes");
    }
    Captured out = await(stdout);
    Captured err = await(stderr);
    stdin.cancel(/* mayInterruptIfRunning= */ false);
    if (process.exitValue() != 0) {
      throw new ProgramFailedException(
          name()
              + " exited with code "
              + process.exitValue()
              + (err.text().isBlank() ? "" : ": " + err.text().strip())
              + (err.truncated() ? " (stderr truncated)" : ""));
    }
    if (out.truncated()) {
      throw new ProgramFailedException(
          name() + " wrote more than " + Program.MAX_STDOUT_BYTES + " bytes to stdout");
    }
    return parse(out.text());
  }

  private @Nullable JsonNode parse(String stdout) throws ProgramFailedException {
    if (stdout.isBlank()) {
      return null;
    }
    JsonNode json;
    try {
      json = Json.parse(stdout);
    } catch (MalformedMessageException e) {
      throw new ProgramFailedException(name() + " wrote invalid JSON to stdout: " + e.getMessage());
    }
    if (!json.isObject()) {
      throw new ProgramFailedException(
          name() + " wrote JSON that is not an object to stdout: " + json.getNodeType());
    }
    return json;
  }

  private String name() {
    List<String> command = program.command();
    return "program '" + command.get(0) + "'";
  }

  private static void feed(Process process, byte[] input) {
    try (OutputStream in = process.getOutputStream()) {
      in.write(input);
    } catch (IOException e) {
      // The program did not read its input (it exited, or closed stdin): its choice.
    }
  }

  /** What a program wrote to one stream, cut at a limit. */
  private record Captured(String text, boolean truncated) {}

  private static Captured capture(InputStream stream, int limit) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    boolean truncated = false;
    byte[] buffer = new byte[8192];
    try (stream) {
      for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
        int room = limit - kept.size();
        if (n > room) {
          truncated = true;
        }
        kept.write(buffer, 0, Math.max(0, Math.min(n, room))); // Drain the rest: no blocked writer.
      }
    } catch (IOException e) {
      // The pipe closed with the process.
    }
    return new Captured(kept.toString(StandardCharsets.UTF_8), truncated);
  }

  private static Captured await(CompletableFuture<Captured> stream) throws InterruptedException {
    try {
      return stream.get(PIPE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // A child that escaped holds the pipe open; take what there is.
      return new Captured("", false);
    }
  }

  /** Kills the program and everything it started, children first seen while it still lives. */
  static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }
}
