package io.phisync.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import io.phisync.spi.InboxStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Consumers in real, separate JVMs sharing one inbox. */
class ConsumerProcessesTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");

  @TempDir Path dir;
  private Path root;
  private Path stop;
  private PhiSync phi;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void open() {
    root = dir.resolve("root");
    stop = dir.resolve("stop");
    phi = PhiSync.builder(root).durability(Durability.FAST).open();
    phi.init(List.of(DC, WEBC));
  }

  @AfterEach
  void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    phi.close();
  }

  private Process consumer(String name, String mode, int leaseSeconds) throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java.toString(),
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            ConsumerProcess.class.getName(),
            root.toString(),
            WEBC.value(),
            dir.resolve(name + ".out").toString(),
            mode,
            Integer.toString(leaseSeconds),
            stop.toString());
    builder.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private List<String> lines(String name) throws IOException {
    Path out = dir.resolve(name + ".out");
    return Files.exists(out) ? Files.readAllLines(out) : List.of();
  }

  private String log(String name) throws IOException {
    Path log = dir.resolve(name + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void competingConsumerProcesses_receiveEachMessageExactlyOnce() throws Exception {
    int messages = 2000;
    List<String> names = List.of("c1", "c2", "c3", "c4");
    for (String name : names) {
      consumer(name, "record", 30);
    }
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < messages; i++) {
      sent.add(phi.bus().sendRequest(DC, WEBC, "n" + i, null, null).id());
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> phi.transport().stats(WEBC).equals(new InboxStats(0, 0)));
    Files.createFile(stop);
    for (Process p : processes) {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("consumer exited").isTrue();
    }

    List<String> handled = new ArrayList<>();
    for (String name : names) {
      assertThat(processes.get(names.indexOf(name)).exitValue())
          .as("exit of %s: %s", name, log(name))
          .isZero();
      for (String line : lines(name)) {
        String[] parts = line.split(" ");
        handled.add(parts[0]);
        assertThat(parts[1]).as("attempt of %s", parts[0]).isEqualTo("1");
      }
    }
    assertThat(handled).doesNotHaveDuplicates().hasSize(messages);
    assertThat(new HashSet<>(handled)).isEqualTo(sent);
    assertThat(names.stream().filter(n -> !linesUnchecked(n).isEmpty()).count())
        .as("consumers that got work")
        .isGreaterThan(1);
    assertThat(phi.bus().deadLetters().list()).isEmpty();
  }

  private List<String> linesUnchecked(String name) {
    try {
      return lines(name);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void consumerKilledMidHandler_itsMessageIsRedeliveredToAnotherAtAttemptTwo() throws Exception {
    Process doomed = consumer("doomed", "block", 2);
    String id = phi.bus().sendRequest(DC, WEBC, "fragile", null, null).id();

    await().atMost(Duration.ofSeconds(30)).until(() -> !lines("doomed").isEmpty());
    assertThat(lines("doomed")).containsExactly(id + " 1");
    assertThat(phi.transport().stats(WEBC)).isEqualTo(new InboxStats(0, 1));
    doomed.destroyForcibly();
    assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();

    consumer("survivor", "record", 2);

    await().atMost(Duration.ofSeconds(30)).until(() -> !lines("survivor").isEmpty());
    assertThat(lines("survivor")).containsExactly(id + " 2");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> phi.transport().stats(WEBC).equals(new InboxStats(0, 0)));
    assertThat(phi.transport().isProcessed(WEBC, io.phisync.protocol.MessageId.of(id))).isTrue();
    assertThat(phi.bus().deadLetters().list()).isEmpty();
  }
}
