package io.phisync.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.TopicName;
import io.phisync.spi.Durability;
import io.phisync.stream.StreamEvent;
import io.phisync.testing.ChildJvm;
import io.phisync.testing.chaos.Agents;
import io.phisync.testing.chaos.Campaign;
import io.phisync.testing.chaos.Kill9;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The events and streams workload of the chaos campaign: publisher, durable-subscriber and
 * stream-appender processes ({@link ChaosEventWorker}) are killed with {@code kill -9} at random
 * instants and restarted under their own names. It fails unless every topic's sequences are
 * contiguous, every logged publish is in its topic, every subscriber has every event of every topic
 * exactly once and in topic order (its handler being idempotent by sequence, as the at-least-once
 * contract asks), and the stream's versions are contiguous with every append whole (both events of
 * a batch, adjacent) and every logged append at its version. Reports events delivered again after a
 * kill, and publishes and appends that happened but were killed before their log line (done again
 * on restart).
 *
 * <p>{@link #quick} runs in every build; {@link #campaign} with {@code ./mvnw -Pchaos verify}
 * (seed: {@code -Dchaos.seed=N}; size: {@code -Dchaos.events=N} per publisher, a third of it
 * appends per appender).
 */
@DisabledOnOs(OS.WINDOWS) // kill -9
class EventStreamChaosTest {
  static final List<String> TOPICS = List.of("chaos-a", "chaos-b");
  static final String STREAM = "chaos-stream";
  private static final List<String> ROLES =
      List.of("pub-0", "pub-1", "sub-0", "sub-1", "app-0", "app-1");

  @TempDir Path dir;

  record Plan(int publishes, int appends, Duration meanGap, Duration faultWindow) {}

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void quick() throws Exception {
    run(new Plan(100, 40, Duration.ofMillis(500), Duration.ofSeconds(6)));
  }

  @Test
  @Tag("chaos")
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void campaign() throws Exception {
    int publishes = Integer.getInteger("chaos.events", 1_000);
    run(new Plan(publishes, publishes / 3, Duration.ofSeconds(2), Duration.ofSeconds(60)));
  }

  private Path log(String role) {
    return dir.resolve(role + ".out");
  }

  private void run(Plan plan) throws Exception {
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    System.out.println("chaos seed " + seed + " (replay with -Dchaos.seed=" + seed + "); " + plan);
    Path root = dir.resolve("root");
    Path stop = dir.resolve("stop");
    long started = System.nanoTime();
    Agents.Launcher launcher =
        role -> {
          String kind = role.substring(0, 3);
          String last =
              switch (kind) {
                case "pub" -> Integer.toString(plan.publishes());
                case "app" -> Integer.toString(plan.appends());
                default -> stop.toString();
              };
          String mode =
              switch (kind) {
                case "pub" -> "publish";
                case "app" -> "append";
                default -> "subscribe";
              };
          return ChildJvm.start(
              ChaosEventWorker.class,
              Map.of(),
              dir.resolve(role + ".log"),
              mode,
              root.toString(),
              role,
              log(role).toString(),
              last);
        };
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open();
        Agents workers = new Agents(launcher, true)) {
      phi.init(ROLES.stream().map(AgentName::of).toList());
      for (String role : ROLES) {
        workers.start(role);
      }
      Campaign campaign = new Campaign(seed, List.of(new Kill9()), plan.meanGap());
      Map<String, Integer> faults =
          campaign.run(workers, () -> writersDone(plan), plan.faultWindow());
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> writersDone(plan));
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> got("sub-0") >= topicSize(phi) && got("sub-1") >= topicSize(phi));
      Files.createFile(stop);
      assertThat(workers.awaitExit(60)).as("workers exited").isTrue();

      // Topics: contiguous sequences; every logged publish there, nothing lost.
      Map<String, List<Event>> topics = new HashMap<>();
      int unlogged = 0;
      for (String topic : TOPICS) {
        // list() is by time; topic order is by sequence.
        List<Event> events =
            phi.events().list(EventFilter.topics(TopicName.of(topic)), null, 1_000_000).stream()
                .sorted(java.util.Comparator.comparingLong(Event::sequence))
                .toList();
        assertThat(events.stream().mapToLong(Event::sequence))
            .as("sequences of %s", topic)
            .containsExactlyElementsOf(
                IntStream.rangeClosed(1, events.size()).mapToObj(i -> (long) i).toList());
        topics.put(topic, events);
      }
      for (String pub : List.of("pub-0", "pub-1")) {
        Map<Integer, Integer> seen = new HashMap<>();
        topics.values().stream()
            .flatMap(List::stream)
            .filter(e -> pub.equals(data(e).path("publisher").asString("")))
            .forEach(e -> seen.merge(data(e).path("n").asInt(), 1, Integer::sum));
        assertThat(seen.keySet())
            .as("every publish of %s is in its topic", pub)
            .containsAll(IntStream.range(0, plan.publishes()).boxed().toList());
        unlogged += seen.values().stream().mapToInt(n -> n - 1).sum();
        for (String line : Files.readAllLines(log(pub))) {
          String[] parts = line.split(" ");
          Event e = topics.getOrDefault(parts[1], List.of()).get(Integer.parseInt(parts[2]) - 1);
          assertThat(data(e).path("publisher").asString()).as(line).isEqualTo(pub);
          assertThat(data(e).path("n").asInt()).as(line).isEqualTo(Integer.parseInt(parts[3]));
        }
      }

      // Subscribers: every event of every topic exactly once, in topic order.
      int again = 0;
      for (String sub : List.of("sub-0", "sub-1")) {
        Map<String, List<String>> got = new HashMap<>();
        for (String line : Files.readAllLines(log(sub))) {
          String[] parts = line.split(" ");
          if (parts[0].equals("got")) {
            got.computeIfAbsent(parts[1], t -> new ArrayList<>()).add(parts[2] + " " + parts[3]);
          } else {
            again++;
          }
        }
        for (String topic : TOPICS) {
          assertThat(got.getOrDefault(topic, List.of()))
              .as("%s's events of %s: each once, in order", sub, topic)
              .containsExactlyElementsOf(
                  topics.getOrDefault(topic, List.of()).stream()
                      .map(e -> e.sequence() + " " + e.id())
                      .toList());
        }
      }

      // Stream: contiguous versions, whole batches, every logged append at its version.
      long version = phi.streams().version(STREAM);
      List<StreamEvent> events = phi.streams().read(STREAM, 1, (int) version + 10);
      assertThat(events.stream().mapToLong(StreamEvent::version))
          .as("stream versions")
          .containsExactlyElementsOf(
              IntStream.rangeClosed(1, (int) version).mapToObj(i -> (long) i).toList());
      Map<String, Integer> batches = new HashMap<>();
      for (int i = 0; i + 1 < events.size(); i += 2) {
        StreamEvent a = events.get(i);
        StreamEvent b = events.get(i + 1);
        String batch = a.data().path("appender").asString() + " " + a.data().path("n").asInt();
        assertThat(b.data().path("appender").asString() + " " + b.data().path("n").asInt())
            .as("batch at version %d whole", a.version())
            .isEqualTo(batch);
        assertThat(List.of(a.data().path("i").asInt(), b.data().path("i").asInt()))
            .isEqualTo(List.of(0, 1));
        batches.merge(batch, 1, Integer::sum);
      }
      assertThat(events.size() % 2).as("whole batches").isZero();
      for (String app : List.of("app-0", "app-1")) {
        for (int n = 0; n < plan.appends(); n++) {
          assertThat(batches).as("append %s %d kept", app, n).containsKey(app + " " + n);
        }
        for (String line : Files.readAllLines(log(app))) {
          String[] parts = line.split(" ");
          StreamEvent last = events.get(Integer.parseInt(parts[1]) - 1);
          assertThat(last.data().path("appender").asString()).as(line).isEqualTo(app);
          assertThat(last.data().path("n").asInt()).as(line).isEqualTo(Integer.parseInt(parts[2]));
        }
      }
      int appendedAgain = batches.values().stream().mapToInt(n -> n - 1).sum();
      String report =
          String.format(
              "seed %d: 2 publishers, 2 durable subscribers, 2 stream appenders (%d processes"
                  + " started), faults %s, %.0f s: %d events in %d topics (%d published again"
                  + " after a kill between publish and its log line), each subscriber got every"
                  + " event exactly once in topic order (%d redeliveries after a kill, dropped by"
                  + " the handler's sequence check); stream at version %d, contiguous, %d whole"
                  + " batches (%d appended again after a kill between append and its log line);"
                  + " 0 lost",
              seed,
              workers.started(),
              faults,
              (System.nanoTime() - started) / 1e9,
              topics.values().stream().mapToInt(List::size).sum(),
              TOPICS.size(),
              unlogged,
              again,
              version,
              events.size() / 2,
              appendedAgain);
      System.out.println(report);
      Files.writeString(
          Paths.get("target", "chaos-events.txt"), report + "\n", StandardCharsets.UTF_8);
    }
  }

  private boolean writersDone(Plan plan) {
    try {
      return lines("pub-0") >= plan.publishes()
          && lines("pub-1") >= plan.publishes()
          && lines("app-0") >= plan.appends()
          && lines("app-1") >= plan.appends();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private int lines(String role) throws IOException {
    Path log = log(role);
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  private long got(String role) throws IOException {
    Path log = log(role);
    return Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.startsWith("got ")).count()
        : 0;
  }

  private static int topicSize(PhiSync phi) {
    return phi.events().list(EventFilter.all(), null, 1_000_000).size();
  }

  private static JsonNode data(Event event) {
    JsonNode data = event.data();
    return data == null ? MissingNode.getInstance() : data;
  }
}
