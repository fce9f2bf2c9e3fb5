package io.phisync.agent;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The requester of the agent chaos campaign in its own JVM: sends {@code count} requests {@code
 * <prefix>-<n>} (command {@code work}) to the agent, appending {@code <id>} to the sent file once a
 * send returned, then collects every response, appending {@code answered <id> <done>} (the id the
 * response names) to the answers file. It is never a fault's victim.
 *
 * <p>Arguments: {@code <root> <from> <to> <count> <prefix> <sent-file> <answers-file>
 * <wait-seconds>}.
 */
public final class ChaosRequester {
  private ChaosRequester() {}

  public static void main(String[] args) throws Exception {
    AgentName from = AgentName.of(args[1]);
    AgentName to = AgentName.of(args[2]);
    int count = Integer.parseInt(args[3]);
    Path sent = Paths.get(args[5]);
    Path answers = Paths.get(args[6]);
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[7])).toNanos();
    try (PhiSync phi = PhiSync.builder(Paths.get(args[0])).durability(Durability.FAST).open()) {
      List<Envelope> requests = new ArrayList<>();
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
        requests.add(phi.bus().send(request));
        append(sent, request.id());
      }
      for (Envelope request : requests) {
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        Optional<Envelope> response = phi.bus().awaitResponse(request, left);
        if (response.isEmpty()) {
          return; // The test reports it unanswered.
        }
        append(answers, "answered " + request.id() + " " + done(response.get().payload()));
      }
    }
  }

  /** What the response says was done: the request's id, or {@code -} (e.g. an error response). */
  private static String done(@Nullable JsonNode payload) {
    return payload == null ? "-" : payload.path("done").asString("-");
  }

  private static void append(Path file, String line) throws java.io.IOException {
    Files.writeString(
        file,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
