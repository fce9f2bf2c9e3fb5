package io.phisync.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-way roles with a burst warm-up (more than one batch of it), in real child JVMs: each
 * subject warms on a scratch directory of its own, and then takes exactly the messages of the run.
 */
@Timeout(300)
class BurstWarmupTest {
  private static final int BURST = 700; // A whole batch of 500 and a part of one.
  private static final int COUNT = 30;

  @TempDir Path dir;

  @Test
  void phiSync_warmsOnAScratchRoot_thenHandsOutTheRunsMessages() throws Exception {
    Path root = oneWay(Subject.PHISYNC, "phisync", "phisync");

    assertThat(jsonFiles(root.resolve(BenchRun.TO).resolve("inbox").resolve("processed")))
        .isEqualTo(COUNT);
  }

  @Test
  void camel_warmsItsScratchRoute_thenTakesTheRunsMessages() throws Exception {
    Path root = oneWay(Subject.CAMEL, "camel-file", "plain");

    assertThat(jsonFiles(root.resolve(BenchRun.TO).resolve("inbox").resolve(".done")))
        .isEqualTo(COUNT);
  }

  @Test
  void theCodexPoller_warmsOnScratch_thenTakesTheRunsMessages() throws Exception {
    Path root = oneWay(Subject.CODEX, "plain", "plain");

    assertThat(jsonFiles(root.resolve(BenchRun.TO).resolve("inbox").resolve("processed")))
        .isEqualTo(COUNT);
  }

  @Test
  void aBareConsumerKeepingItsFiles_movesEachIntoProcessed() throws Exception {
    Path root = oneWay(Subject.RAW_FS_KEPT, "plain", "plain");

    assertThat(jsonFiles(root.resolve(BenchRun.TO).resolve("inbox").resolve("processed")))
        .isEqualTo(COUNT);
  }

  @Test
  void theRawWriter_warmsOnScratch_thenWritesOnlyTheRunsFiles() throws Exception {
    BenchRun run = new BenchRun(true, dir, line -> {}, null, null);

    ChildResult result = Children.raw(run, Mode.FAST, COUNT, BURST);

    assertThat(result.count()).isEqualTo(COUNT);
    assertThat(bursts(run)).containsExactly(burst("raw"));
    try (Stream<Path> files = Files.list(dir.resolve("1-raw-fast"))) {
      assertThat(files.filter(f -> !f.getFileName().toString().startsWith("."))).hasSize(COUNT);
    }
  }

  /**
   * A one-way run of {@code subject} with the burst, checked to have taken the burst through the
   * consumer's and the producer's paths and to have left the inbox empty; its root.
   */
  private Path oneWay(Subject subject, String consumerPath, String producerPath) throws Exception {
    BenchRun run = new BenchRun(true, dir, line -> {}, null, null);
    Path root = run.newRoot(subject.label(), Mode.FAST);

    ChildResult result = Children.oneWay(run, subject, Mode.FAST, root, 1, COUNT, 0, BURST);

    assertThat(result.count()).isEqualTo(COUNT);
    assertThat(bursts(run)).containsExactlyInAnyOrder(burst(consumerPath), burst(producerPath));
    assertThat(result.latenciesMicros()).hasSize(COUNT);
    assertThat(java.util.Arrays.stream(result.latenciesMicros()).min().orElseThrow()).isPositive();
    try (Stream<Path> inbox = Files.list(root.resolve(BenchRun.TO).resolve("inbox"))) {
      assertThat(inbox.filter(f -> f.getFileName().toString().endsWith(".json"))).isEmpty();
    }
    return root;
  }

  private static String burst(String path) {
    return BURST + " messages through the " + path + " path";
  }

  /** What the children's logs say their bursts took, without the times. */
  private static java.util.List<String> bursts(BenchRun run) throws Exception {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (Stream<Path> logs = Files.list(run.logs())) {
      for (Path log : logs.toList()) {
        for (String line : Files.readAllLines(log)) {
          java.util.regex.Matcher m =
              java.util.regex.Pattern.compile("warm-up burst: (.*) in \\d+ ms").matcher(line);
          if (m.find()) {
            out.add(m.group(1));
          }
        }
      }
    }
    return out;
  }

  /** Message files under {@code dir}, at any depth. */
  private static long jsonFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
    }
  }
}
