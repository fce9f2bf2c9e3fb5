package io.phisync.events;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.TopicName;
import io.phisync.spi.Durability;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A publisher or a subscriber in its own JVM, for {@link EventProcessesTest}.
 *
 * <p>{@code publish <root> <publisher> <count> <topics>}: publishes {@code count} events, event i
 * to topic {@code t<i % topics>}, with {@code data = {"p": publisher, "i": i}}.
 *
 * <p>{@code subscribe <root> <agent> <out> <expected>}: subscribes to every topic and appends
 * {@code <topic> <sequence> <id> <publisher> <i>} per event to {@code out}, deduplicating by event
 * id against what {@code out} already holds (so an event redelivered after a kill -9 is handled
 * once), and exits once it holds {@code expected} events.
 */
public final class EventProcess {
  private EventProcess() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[1]);
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      if (args[0].equals("publish")) {
        publish(phi, AgentName.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      } else {
        subscribe(phi, AgentName.of(args[2]), Paths.get(args[3]), Integer.parseInt(args[4]));
      }
    }
  }

  private static void publish(PhiSync phi, AgentName publisher, int count, int topics) {
    for (int i = 0; i < count; i++) {
      phi.events()
          .publish(
              TopicName.of("t" + (i % topics)),
              publisher,
              "tick",
              Severity.INFO,
              Json.object().put("p", publisher.value()).put("i", i));
    }
  }

  private static void subscribe(PhiSync phi, AgentName agent, Path out, int expected)
      throws IOException, InterruptedException {
    Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    if (Files.exists(out)) {
      dropPartialLastLine(out);
      for (String line : Files.readAllLines(out)) {
        seen.add(line.split(" ")[2]);
      }
    }
    EventHandler handler =
        event -> {
          if (!seen.add(event.id())) {
            return; // Redelivered after a crash before its cursor was saved: handled already.
          }
          String line =
              event.topic()
                  + " "
                  + event.sequence()
                  + " "
                  + event.id()
                  + " "
                  + event.publisher()
                  + " "
                  + java.util.Objects.requireNonNull(event.data()).get("i").asInt()
                  + "\n";
          Files.writeString(
              out,
              line,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE);
          if (seen.size() >= expected) {
            done.countDown();
          }
        };
    try (Subscription s =
        phi.events().subscribe(agent, AgentName.of("all"), EventFilter.all(), handler)) {
      if (seen.size() < expected) {
        done.await();
      }
    }
  }

  private static void dropPartialLastLine(Path out) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(out.toFile(), "rw")) {
      long end = file.length();
      while (end > 0) {
        file.seek(end - 1);
        if (file.read() == '\n') {
          break;
        }
        end--;
      }
      file.setLength(end);
    }
  }
}
