package io.phisync.agent;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An agent-runtime instance of the agent chaos campaign in its own JVM: an {@link Agent} serving
 * command {@code work}, with a Java handler or a program ({@code sh}) run per message by {@link
 * Program#handler()}. Either handler records its effect, {@code handled <id> <attempt>
 * <epoch-millis>}, as one appended line of the instance's effects file, and answers {@code {"done":
 * <id>}}.
 *
 * <p>Arguments: {@code <root> <agent> <effects-file> <lease-millis> <stop-file> <java|exec>}. It
 * drains and exits once the stop file exists.
 */
public final class ChaosAgent {
  private ChaosAgent() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    AgentName name = AgentName.of(args[1]);
    Path effects = Paths.get(args[2]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
    Path stop = Paths.get(args[4]);
    boolean exec = args[5].equals("exec");
    try (PhiSync phi =
        PhiSync.builder(root)
            .durability(Durability.FAST)
            .bus(b -> b.lease(lease).maxAttempts(1_000).recoveryInterval(Duration.ofMillis(200)))
            .open()) {
      AgentHandler handler =
          exec
              ? new Program(
                      List.of(
                          "sh",
                          "-c",
                          "echo \"handled $PHISYNC_MESSAGE_ID $PHISYNC_ATTEMPT $(date +%s%3N)\""
                              + " >> \"$EFFECTS\"; printf '{\"done\":\"%s\"}' \"$PHISYNC_MESSAGE_ID\""),
                      Duration.ofSeconds(30),
                      Map.of("EFFECTS", effects.toString()))
                  .handler()
              : javaHandler(effects);
      try (Agent agent =
          phi.agent(name)
              .handle("work", handler)
              .concurrency(2)
              .heartbeatInterval(Duration.ofMillis(500))
              .drainDeadline(Duration.ofSeconds(20))
              .build()) {
        agent.start();
        while (!Files.exists(stop)) {
          Thread.sleep(100); // Polls for the test's stop signal; the agent works meanwhile.
        }
        agent.drain(Duration.ofSeconds(20));
      }
    }
  }

  private static AgentHandler javaHandler(Path effects) throws java.io.IOException {
    FileChannel out =
        FileChannel.open(
            effects,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.WRITE);
    return delivery -> {
      String id = delivery.message().messageId().value();
      String line =
          "handled " + id + " " + delivery.attempt() + " " + System.currentTimeMillis() + "\n";
      synchronized (out) {
        ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
          out.write(buffer); // One write per line: a kill -9 leaves whole lines only.
        }
      }
      return Json.object().put("done", id);
    };
  }
}
