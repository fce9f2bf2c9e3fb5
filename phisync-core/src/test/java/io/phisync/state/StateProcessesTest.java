package io.phisync.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.spi.Durability;
import io.phisync.stream.StreamEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** State, locks and streams shared by real, separate JVMs. */
class StateProcessesTest {
  private static final int PROCESSES = 4;

  @TempDir Path dir;
  private Path root;
  private PhiSync phi;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void open() {
    root = dir.resolve("root");
    phi = PhiSync.builder(root).durability(Durability.FAST).open();
    phi.init(List.of());
  }

  @AfterEach
  void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    phi.close();
  }

  private void runAll(String mode, String name, int count, Path out) throws Exception {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    for (int i = 0; i < PROCESSES; i++) {
      ProcessBuilder builder =
          new ProcessBuilder(
              java.toString(),
              "-Xmx128m",
              "-XX:TieredStopAtLevel=1",
              "-cp",
              System.getProperty("java.class.path"),
              StateProcess.class.getName(),
              root.toString(),
              mode,
              name,
              Integer.toString(count),
              "p" + i,
              out.toString());
      builder.redirectErrorStream(true).redirectOutput(dir.resolve("p" + i + ".log").toFile());
      processes.add(builder.start());
    }
    for (int i = 0; i < PROCESSES; i++) {
      Process p = processes.get(i);
      assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("process p%d finished", i).isTrue();
      assertThat(p.exitValue()).as("exit of p%d: %s", i, log(i)).isZero();
    }
  }

  private String log(int i) throws IOException {
    Path log = dir.resolve("p" + i + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void fourProcesses_casIncrementingOneKey_loseNoUpdate() throws Exception {
    int each = 500;

    runAll("cas", "counter", each, dir.resolve("unused"));

    Versioned last = phi.state().get("counter").orElseThrow();
    assertThat(last.valueOrThrow().asInt()).isEqualTo(PROCESSES * each);
    assertThat(last.revision()).isEqualTo(PROCESSES * each);
    assertThat(Files.readString(root.resolve("shared/state/counter.json")).trim())
        .isEqualTo(Integer.toString(PROCESSES * each));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void fourProcesses_contendingForOneLock_getStrictlyIncreasingTokens() throws Exception {
    int each = 40;
    Path tokens = dir.resolve("tokens.txt");

    runAll("lock", "counter-lock", each, tokens);

    List<Long> granted = Files.readAllLines(tokens).stream().map(Long::parseLong).toList();
    assertThat(granted).hasSize(PROCESSES * each).isSorted().doesNotHaveDuplicates();
    assertThat(phi.state().get("counter").orElseThrow().valueOrThrow().asInt())
        .isEqualTo(PROCESSES * each);
    assertThat(root.resolve("shared/locks/counter-lock.lock")).doesNotExist();
    long superseded = granted.get(granted.size() - 2);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                phi.state()
                    .put("counter", tools.jackson.databind.node.IntNode.valueOf(0), superseded))
        .isInstanceOf(FencedWriteException.class);
    assertThat(phi.state().get("counter").orElseThrow().valueOrThrow().asInt())
        .isEqualTo(PROCESSES * each);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void fourProcesses_appendingToOneStream_getContiguousVersionsWithoutDuplicates()
      throws Exception {
    int each = 100;

    runAll("append", "orders", each, dir.resolve("unused"));

    List<StreamEvent> events = phi.streams().read("orders", 1, Integer.MAX_VALUE);
    assertThat(events)
        .extracting(StreamEvent::version)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, PROCESSES * each).boxed().toList());
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.data().path("id").asString()));
    assertThat(ids).hasSize(PROCESSES * each);
  }
}
