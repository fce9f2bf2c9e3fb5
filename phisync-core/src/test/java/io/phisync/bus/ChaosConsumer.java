package io.phisync.bus;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.Claim;
import io.phisync.spi.DuplicateMessageException;
import io.phisync.spi.Durability;
import io.phisync.spi.LeaseLostException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * A chaos-campaign agent in its own JVM: receives, records its effect, replies, acknowledges.
 *
 * <p>Arguments: {@code <root> <agent> <effects-file> <lease-millis> <stop-file>}. The effects file
 * is its append-only log, one line per event: {@code handled <id> <attempt>} (the effect, written
 * before the reply, which acks), {@code acked <id>}, {@code leaselost <id>} (the ack came too late:
 * another consumer has the message), {@code ackfailed <id>} (the ack failed, e.g. a directory was
 * unwritable). It survives every error of the bus and exits once the stop file exists and nothing
 * is left to receive.
 */
public final class ChaosConsumer {
  private ChaosConsumer() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    AgentName agent = AgentName.of(args[1]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
    Path stop = Paths.get(args[4]);
    try (FileChannel effects =
            FileChannel.open(
                Paths.get(args[2]),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        PhiSync phi =
            PhiSync.builder(root)
                .durability(Durability.FAST)
                .bus(
                    b ->
                        b.lease(lease).maxAttempts(10_000).recoveryInterval(Duration.ofMillis(200)))
                .open()) {
      MessageBus bus = phi.bus();
      while (true) {
        Optional<Claim> claim;
        try {
          claim = bus.receive(agent, Duration.ofMillis(200));
        } catch (RuntimeException e) {
          Thread.sleep(50); // A directory may be unwritable for a while: back off, try again.
          continue;
        }
        if (claim.isEmpty()) {
          if (Files.exists(stop)) {
            return;
          }
          continue;
        }
        handle(bus, claim.get(), effects);
      }
    }
  }

  private static void handle(MessageBus bus, Claim claim, FileChannel effects) throws IOException {
    String id = claim.envelope().id();
    log(effects, "handled " + id + " " + claim.attempt());
    try {
      bus.reply(claim, Json.object().put("done", id)); // Writes the response, then acks.
      log(effects, "acked " + id);
    } catch (DuplicateMessageException e) {
      // An earlier delivery replied, then its consumer died before the ack: the reply stands.
      ack(bus, claim, effects);
    } catch (LeaseLostException e) {
      log(effects, "leaselost " + id);
    } catch (RuntimeException e) {
      log(effects, "ackfailed " + id);
    }
  }

  private static void ack(MessageBus bus, Claim claim, FileChannel effects) throws IOException {
    String id = claim.envelope().id();
    try {
      bus.ack(claim);
      log(effects, "acked " + id);
    } catch (LeaseLostException e) {
      log(effects, "leaselost " + id);
    } catch (RuntimeException e) {
      log(effects, "ackfailed " + id);
    }
  }

  /** One write per line: a kill -9 leaves whole lines only. */
  private static void log(FileChannel effects, String line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      effects.write(buffer);
    }
  }
}
