package io.phisync.testing.linearizability;

import io.phisync.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tools.jackson.databind.JsonNode;

/**
 * Records one process's operations as JSON lines, appended and flushed as they happen, so a process
 * killed mid-operation leaves its call without a return (a pending operation):
 *
 * <pre>
 * {"event":"call","process":3,"op":17,"time":81234567,"input":{"op":"cas","key":"k1","expected":2,"value":"p3-17"}}
 * {"event":"return","process":3,"op":17,"time":81239999,"output":{"ok":true,"revision":3}}
 * </pre>
 *
 * <p>Times are {@link System#nanoTime()}, which on Linux is the system-wide CLOCK_MONOTONIC and so
 * comparable between processes on one host. {@link History#read} merges the files of all processes.
 */
public final class HistoryRecorder implements AutoCloseable {
  private final int process;
  private final OutputStream out;
  private long next;

  public HistoryRecorder(Path file, int process) throws IOException {
    this.process = process;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Records a call; returns the operation's number, for {@link #returned}. */
  public synchronized long call(JsonNode input) throws IOException {
    long op = next++;
    write(
        Json.object()
            .put("event", "call")
            .put("process", process)
            .put("op", op)
            .put("time", System.nanoTime())
            .set("input", input));
    return op;
  }

  /** Records the return of operation {@code op}. */
  public synchronized void returned(long op, JsonNode output) throws IOException {
    long time = System.nanoTime();
    write(
        Json.object()
            .put("event", "return")
            .put("process", process)
            .put("op", op)
            .put("time", time)
            .set("output", output));
  }

  private void write(JsonNode line) throws IOException {
    out.write((Json.compact(line) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
