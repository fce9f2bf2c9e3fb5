package io.phisync.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Publishers and subscribers in real, separate JVMs sharing one root. */
class EventProcessesTest {
  private static final int PUBLISHERS = 3;
  private static final int PER_PUBLISHER = 1000;
  private static final int TOPICS = 3;
  private static final int TOTAL = PUBLISHERS * PER_PUBLISHER;

  @TempDir Path dir;
  private Path root;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void open() {
    root = dir.resolve("root");
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      phi.init(List.of(AgentName.of("s1"), AgentName.of("s2"), AgentName.of("s3")));
    }
  }

  @AfterEach
  void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            EventProcess.class.getName()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
            .start();
    processes.add(process);
    return process;
  }

  private Process subscriber(String name) throws IOException {
    return start(
        name, "subscribe", root.toString(), name, out(name).toString(), Integer.toString(TOTAL));
  }

  private Path out(String name) {
    return dir.resolve(name + ".out");
  }

  private long lines(String name) throws IOException {
    return Files.exists(out(name)) ? Files.readAllLines(out(name)).size() : 0;
  }

  private String log(String name) throws IOException {
    Path log = dir.resolve(name + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void subscribersGetEveryEventOnceInTopicOrder_evenOneKilledAndRestarted() throws Exception {
    List<String> subscribers = List.of("s1", "s2", "s3");
    Map<String, Process> running = new HashMap<>();
    for (String s : subscribers) {
      running.put(s, subscriber(s));
    }
    List<Process> publishers = new ArrayList<>();
    for (int p = 1; p <= PUBLISHERS; p++) {
      publishers.add(
          start(
              "p" + p,
              "publish",
              root.toString(),
              "p" + p,
              Integer.toString(PER_PUBLISHER),
              Integer.toString(TOPICS)));
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> lines("s1") >= TOTAL / 5);
    Process doomed = java.util.Objects.requireNonNull(running.get("s1"));
    doomed.destroyForcibly(); // kill -9
    assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lines("s1")).as("killed mid-way").isLessThan(TOTAL);
    running.put("s1", subscriber("s1"));

    for (Process p : publishers) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("publisher finished").isTrue();
      assertThat(p.exitValue()).as("publisher exit: %s", log("p1")).isZero();
    }
    for (String s : subscribers) {
      Process process = java.util.Objects.requireNonNull(running.get(s));
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", s).isTrue();
      assertThat(process.exitValue()).as("exit of %s: %s", s, log(s)).isZero();
    }

    Map<String, String> idAt = new HashMap<>(); // "topic seq" -> id, the same for everyone
    for (String s : subscribers) {
      List<String> got = Files.readAllLines(out(s));
      assertThat(got).as(s).hasSize(TOTAL);
      assertThat(new HashSet<>(got.stream().map(l -> l.split(" ")[2]).toList())).hasSize(TOTAL);
      Map<String, Long> lastSequence = new HashMap<>();
      Map<String, Integer> lastIndex = new HashMap<>();
      for (String line : got) {
        String[] f = line.split(" ");
        long sequence = Long.parseLong(f[1]);
        assertThat(sequence)
            .as("%s: %s follows its topic's order", s, line)
            .isEqualTo(lastSequence.getOrDefault(f[0], 0L) + 1);
        lastSequence.put(f[0], sequence);
        int index = Integer.parseInt(f[4]);
        assertThat(index)
            .as("%s: %s keeps its publisher's order", s, line)
            .isGreaterThan(lastIndex.getOrDefault(f[0] + f[3], -1));
        lastIndex.put(f[0] + f[3], index);
        String before = idAt.putIfAbsent(f[0] + " " + f[1], f[2]);
        assertThat(before == null || before.equals(f[2])).as("one order for all").isTrue();
      }
      // Dense from 1 in every topic, so the last sequences add up to every event.
      assertThat(lastSequence).hasSize(TOPICS);
      assertThat(lastSequence.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TOTAL);
    }
  }
}
