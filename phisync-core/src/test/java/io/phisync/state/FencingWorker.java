package io.phisync.state;

import io.phisync.PhiSync;
import io.phisync.lock.Lease;
import io.phisync.spi.Durability;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import tools.jackson.databind.node.IntNode;

/**
 * One worker of {@link FencingProcessesTest}, in its own JVM: lock-protected read-increment-write
 * of the counter whose plain file is {@code shared/state/counter.json}.
 *
 * <p>Arguments: {@code <root> <fenced|unfenced> <count> <result-file> <stall-at>}. It prints {@code
 * READY} and waits for a line on stdin, then repeats until {@code count} increments were
 * acknowledged: acquire lock {@code counter-lock} with a {@value #LEASE_MILLIS} ms lease, read the
 * counter, write it back plus one (fenced: with the grant's token; unfenced: without), release. A
 * write the store refuses as fenced is not acknowledged and is done again under a new grant. At its
 * {@code stall-at}-th attempt (1-based; 0 = never) it prints {@code READ <value> <token>} right
 * after the read and waits for a line on stdin before writing, so the test can stop it there. At
 * the end it writes {@code <acknowledged> <refused>} to the result file.
 */
public final class FencingWorker {
  static final long LEASE_MILLIS = 2_000;

  private FencingWorker() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    boolean fenced =
        switch (args[1]) {
          case "fenced" -> true;
          case "unfenced" -> false;
          default ->
              throw new IllegalArgumentException("mode must be fenced or unfenced: " + args[1]);
        };
    int count = Integer.parseInt(args[2]);
    Path result = Paths.get(args[3]);
    int stallAt = Integer.parseInt(args[4]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      out.println("READY");
      in.readLine();
      int acknowledged = 0;
      int refused = 0;
      int attempt = 0;
      while (acknowledged < count) {
        attempt++;
        try (Lease lease =
            phi.locks()
                .acquire("counter-lock", Duration.ofMillis(LEASE_MILLIS), Duration.ofMinutes(2))) {
          int value = phi.state().get("counter").map(v -> v.valueOrThrow().asInt()).orElse(0);
          if (attempt == stallAt) {
            out.println("READ " + value + " " + lease.token());
            in.readLine();
          }
          try {
            if (fenced) {
              phi.state().put("counter", IntNode.valueOf(value + 1), lease.token());
            } else {
              phi.state().put("counter", IntNode.valueOf(value + 1));
            }
            acknowledged++;
          } catch (FencedWriteException stale) {
            refused++;
            out.println("REFUSED " + lease.token() + " " + stale.highestToken());
          }
        }
      }
      Files.writeString(result, acknowledged + " " + refused, StandardCharsets.UTF_8);
    }
  }
}
