package io.phisync.bus;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Claim;
import io.phisync.spi.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A consumer in its own JVM, for the multi-process tests.
 *
 * <p>Arguments: {@code <root> <agent> <out-file> <record|block> <lease-seconds> <stop-file>}. In
 * {@code record} mode it appends {@code <id> <attempt>} for every message it handles, then acks,
 * and exits once the stop file exists and the inbox is empty. In {@code block} mode it claims one
 * message, writes {@code <id> <attempt>} to the out file (atomically) and blocks forever, to be
 * killed.
 */
public final class ConsumerProcess {
  private ConsumerProcess() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    AgentName agent = AgentName.of(args[1]);
    Path out = Paths.get(args[2]);
    boolean block = args[3].equals("block");
    Duration lease = Duration.ofSeconds(Long.parseLong(args[4]));
    Path stop = Paths.get(args[5]);
    try (PhiSync phi =
        PhiSync.builder(root)
            .durability(Durability.FAST)
            .bus(b -> b.lease(lease).recoveryInterval(Duration.ofMillis(500)))
            .open()) {
      MessageBus bus = phi.bus();
      while (true) {
        Optional<Claim> claim = bus.receive(agent, Duration.ofMillis(200));
        if (claim.isEmpty()) {
          if (Files.exists(stop)) {
            return;
          }
          continue;
        }
        String line = claim.get().envelope().id() + " " + claim.get().attempt() + "\n";
        if (block) {
          Path temp = out.resolveSibling(out.getFileName() + ".tmp");
          Files.writeString(temp, line, StandardCharsets.UTF_8);
          Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
          new CountDownLatch(1).await(); // Holds the message until killed.
        }
        append(out, line);
        bus.ack(claim.get());
      }
    }
  }

  private static void append(Path out, String line) throws IOException {
    Files.writeString(
        out,
        line,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }
}
