package io.phisync.lock;

import io.phisync.PhiSync;
import io.phisync.spi.Durability;
import io.phisync.state.FencedWriteException;
import io.phisync.state.Versioned;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import tools.jackson.databind.node.IntNode;

/**
 * A lock holder of the chaos campaign: until the stop file exists, acquires the lock, reads the
 * counter, writes counter + 1 fenced by its token, and releases. Appends {@code ok <token>
 * <revision> <value>} after each accepted write and {@code fenced <token>} after each refused one.
 *
 * <p>Arguments: {@code <root> <effects-file> <stop-file> <lease-ms>}.
 */
public final class LockChaosClient {
  static final String LOCK = "chaos-lock";
  static final String COUNTER = "chaos/counter";

  private LockChaosClient() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    Path stop = Paths.get(args[2]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open();
        OutputStream out =
            Files.newOutputStream(
                Paths.get(args[1]), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      while (!Files.exists(stop)) {
        try (Lease held = phi.locks().acquire(LOCK, lease, Duration.ofSeconds(60))) {
          int current = phi.state().get(COUNTER).map(v -> v.valueOrThrow().asInt()).orElse(0);
          String line;
          try {
            Versioned v = phi.state().put(COUNTER, IntNode.valueOf(current + 1), held.token());
            line = "ok " + held.token() + " " + v.revision() + " " + (current + 1);
          } catch (FencedWriteException superseded) {
            line = "fenced " + held.token();
          }
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    }
  }
}
