package io.phisync.crdt.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.crdt.CrdtType;
import io.phisync.crdt.json.CrdtJson;
import io.phisync.spi.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Agents in real, separate JVMs updating replicas of the same keys at once. */
class CrdtProcessesTest {
  private static final List<String> AGENTS = List.of("dc", "webc", "vssc", "kalic", "cmdc");
  private static final int UPDATES = 60;

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process replica(Path root, String agent) throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java.toString(),
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            ReplicaProcess.class.getName(),
            root.toString(),
            agent,
            Integer.toString(UPDATES),
            dir.toString());
    builder.redirectErrorStream(true).redirectOutput(dir.resolve(agent + ".log").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void fiveJvms_updatingConcurrently_convergeToByteIdenticalMergedJson() throws Exception {
    Path root = dir.resolve("root");
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      phi.init(List.of());
      for (String agent : AGENTS) {
        replica(root, agent);
      }

      await()
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> AGENTS.stream().allMatch(a -> Files.exists(dir.resolve(a + ".done"))));
      Files.createFile(dir.resolve("read"));
      for (Process p : processes) {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("replica exited").isTrue();
        assertThat(p.exitValue()).as("exit code; see the logs in %s", dir).isZero();
      }

      CrdtStore crdts = phi.crdts();
      assertThat(crdts.get("visits", CrdtType.PN_COUNTER).value())
          .isEqualTo((long) AGENTS.size() * UPDATES);
      Set<String> expectedTags = new TreeSet<>();
      for (String agent : AGENTS) {
        for (int round = 0; round < UPDATES; round++) { // What ReplicaProcess does, sequentially.
          expectedTags.add(agent + "-" + round);
          if (round % 2 == 1) {
            expectedTags.remove(agent + "-" + (round - 1));
          }
        }
      }
      assertThat(crdts.get("tags", CrdtType.OR_SET).value()).isEqualTo(expectedTags);
      assertThat(crdts.get("owner", CrdtType.LWW_REGISTER).value().orElseThrow())
          .endsWith("-" + (UPDATES - 1));
      assertThat(crdts.replicas("visits")).hasSize(AGENTS.size());

      StringBuilder here = new StringBuilder();
      for (String key : crdts.keys()) {
        here.append(key).append('\n').append(CrdtJson.text(crdts.get(key).orElseThrow()));
        here.append('\n');
      }
      for (String agent : AGENTS) {
        assertThat(Files.readString(dir.resolve(agent + ".json")))
            .as("merged JSON read by %s", agent)
            .isEqualTo(here.toString());
      }
    }
  }
}
