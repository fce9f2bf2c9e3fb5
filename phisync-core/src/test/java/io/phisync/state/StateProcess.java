package io.phisync.state;

import io.phisync.PhiSync;
import io.phisync.lock.Lease;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import io.phisync.stream.NewEvent;
import io.phisync.stream.Streams;
import io.phisync.stream.WrongExpectedVersionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.node.IntNode;

/**
 * A state, lock or stream client in its own JVM, for the multi-process tests.
 *
 * <p>Arguments: {@code <root> <mode> <name> <count> <id> [<out-file>]}. {@code cas}: {@code count}
 * compare-and-set increments of key {@code name}. {@code lock}: {@code count} times, acquire lock
 * {@code name}, increment key {@code counter} with a fenced write, append the token to the out
 * file, release. {@code append}: append {@code count} events {@code <id>-<i>} to stream {@code
 * name}, each with the version it last read.
 */
public final class StateProcess {
  private StateProcess() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    String mode = args[1];
    String name = args[2];
    int count = Integer.parseInt(args[3]);
    String id = args[4];
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      for (int i = 0; i < count; i++) {
        switch (mode) {
          case "cas" ->
              phi.state().update(name, v -> IntNode.valueOf(v == null ? 1 : v.asInt() + 1));
          case "lock" -> lockedIncrement(phi, name, Paths.get(args[5]));
          case "append" -> append(phi.streams(), name, id + "-" + i);
          default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
      }
    }
  }

  private static void lockedIncrement(PhiSync phi, String lock, Path out) throws Exception {
    try (Lease lease = phi.locks().acquire(lock, Duration.ofSeconds(30), Duration.ofSeconds(120))) {
      int current = phi.state().get("counter").map(v -> v.valueOrThrow().asInt()).orElse(0);
      phi.state().put("counter", IntNode.valueOf(current + 1), lease.token());
      Files.writeString(
          out,
          lease.token() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  private static void append(Streams streams, String stream, String event) {
    while (true) {
      long version = streams.version(stream);
      try {
        streams.append(
            stream, List.of(new NewEvent("appended", Json.object().put("id", event))), version);
        return;
      } catch (WrongExpectedVersionException raced) {
        // Another process appended first: read the version again.
      }
    }
  }
}
