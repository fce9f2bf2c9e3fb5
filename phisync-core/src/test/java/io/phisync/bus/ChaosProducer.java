package io.phisync.bus;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.spi.DuplicateMessageException;
import io.phisync.spi.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;

/**
 * A chaos-campaign producer in its own JVM: sends {@code count} requests with ids {@code
 * <prefix>-<n>}, retrying one that failed (a directory unwritable for a while) with the same id,
 * and appends {@code <id>} to the sent file once its send returned.
 *
 * <p>Arguments: {@code <root> <from> <to> <count> <prefix> <sent-file>}.
 */
public final class ChaosProducer {
  private ChaosProducer() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    AgentName from = AgentName.of(args[1]);
    AgentName to = AgentName.of(args[2]);
    int count = Integer.parseInt(args[3]);
    Path sent = Paths.get(args[5]);
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      for (int n = 0; n < count; n++) {
        Envelope request =
            Envelope.builder()
                .id(MessageId.of(args[4] + "-" + n))
                .type(MessageType.REQUEST)
                .from(from)
                .to(to)
                .timestamp(OffsetDateTime.now())
                .payload(Json.object().put("command", "work").put("n", n))
                .build();
        while (true) {
          try {
            phi.bus().send(request);
            break;
          } catch (DuplicateMessageException e) {
            break; // The earlier try wrote it after all.
          } catch (RuntimeException e) {
            Thread.sleep(50); // A directory may be unwritable for a while.
          }
        }
        Files.writeString(
            sent,
            request.id() + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    }
  }
}
