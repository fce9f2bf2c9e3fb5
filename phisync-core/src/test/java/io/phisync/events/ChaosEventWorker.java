package io.phisync.events;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.TopicName;
import io.phisync.spi.Durability;
import io.phisync.stream.NewEvent;
import io.phisync.stream.WrongExpectedVersionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process of the events and streams chaos campaign, restarted under its own name after each
 * {@code kill -9}; every role keeps an append-only log (one write per line, so a kill leaves whole
 * lines) and picks up from it on restart.
 *
 * <ul>
 *   <li>{@code publish <root> <name> <log> <count>}: publishes events {@code <name> <n>} to topics
 *       {@link EventStreamChaosTest#TOPICS} in turn, logging {@code published <topic> <sequence>
 *       <n>} after each returned; restarts at the first unlogged {@code n} (an event published but
 *       not logged before a kill is published again, as a new event).
 *   <li>{@code subscribe <root> <name> <log> <stop-file>}: a durable subscription; its handler is
 *       idempotent by (topic, sequence), as a handler must be: it logs {@code got <topic>
 *       <sequence> <id>} for an event past the last it logged and {@code again <topic> <sequence>}
 *       for one delivered again (a kill between its effect and the cursor's advance). Exits when
 *       the stop file exists.
 *   <li>{@code append <root> <name> <log> <count>}: appends batches of two events {@code <name> <n>
 *       0|1} to stream {@link EventStreamChaosTest#STREAM} at the version it read, retrying on a
 *       conflict, and logs {@code appended <version> <n>} after each returned.
 * </ul>
 */
public final class ChaosEventWorker {
  private ChaosEventWorker() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[1]);
    String name = args[2];
    Path log = Paths.get(args[3]);
    List<String> done =
        Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    try (FileChannel out =
            FileChannel.open(
                log,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      switch (args[0]) {
        case "publish" -> publish(phi, name, out, done.size(), Integer.parseInt(args[4]));
        case "subscribe" -> subscribe(phi, name, out, done, Paths.get(args[4]));
        case "append" -> append(phi, name, out, done.size(), Integer.parseInt(args[4]));
        default -> throw new IllegalArgumentException("unknown role " + args[0]);
      }
    }
  }

  private static void publish(PhiSync phi, String name, FileChannel out, int from, int count)
      throws IOException {
    for (int n = from; n < count; n++) {
      TopicName topic = TopicName.of(EventStreamChaosTest.TOPICS.get(n % 2));
      Event event =
          phi.events()
              .publish(
                  topic,
                  AgentName.of(name),
                  "chaos",
                  Severity.INFO,
                  Json.object().put("publisher", name).put("n", n));
      log(out, "published " + topic.value() + " " + event.sequence() + " " + n);
    }
  }

  private static void subscribe(
      PhiSync phi, String name, FileChannel out, List<String> done, Path stop) throws Exception {
    Map<String, Long> last = new HashMap<>();
    for (String line : done) {
      String[] parts = line.split(" ");
      if (parts[0].equals("got")) {
        last.merge(parts[1], Long.parseLong(parts[2]), Math::max);
      }
    }
    try (Subscription subscription =
        phi.events()
            .subscribe(
                AgentName.of(name),
                AgentName.of("chaos"),
                EventFilter.all(),
                event -> {
                  String topic = event.topic().value();
                  if (event.sequence() <= last.getOrDefault(topic, 0L)) {
                    log(out, "again " + topic + " " + event.sequence());
                  } else {
                    log(out, "got " + topic + " " + event.sequence() + " " + event.id());
                    last.put(topic, event.sequence());
                  }
                })) {
      while (!Files.exists(stop)) {
        Thread.sleep(100); // Polls for the test's stop signal; the subscription works meanwhile.
      }
    }
  }

  private static void append(PhiSync phi, String name, FileChannel out, int from, int count)
      throws IOException {
    for (int n = from; n < count; n++) {
      while (true) {
        long version = phi.streams().version(EventStreamChaosTest.STREAM);
        List<NewEvent> batch =
            List.of(
                new NewEvent("chaos", Json.object().put("appender", name).put("n", n).put("i", 0)),
                new NewEvent("chaos", Json.object().put("appender", name).put("n", n).put("i", 1)));
        try {
          long now = phi.streams().append(EventStreamChaosTest.STREAM, batch, version);
          log(out, "appended " + now + " " + n);
          break;
        } catch (WrongExpectedVersionException conflict) {
          // Another appender got there first: read the version again.
        }
      }
    }
  }

  private static void log(FileChannel out, String line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
