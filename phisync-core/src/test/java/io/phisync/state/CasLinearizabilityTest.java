package io.phisync.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.spi.Durability;
import io.phisync.testing.ChildJvm;
import io.phisync.testing.linearizability.Checker;
import io.phisync.testing.linearizability.History;
import io.phisync.testing.linearizability.Operation;
import io.phisync.testing.linearizability.Result;
import io.phisync.testing.linearizability.VersionedRegister;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linearizability of the state store's compare-and-set across processes: 8 child JVMs on 3 keys
 * issue random reads, writes and CAS, recording each call and return; some are killed with {@code
 * kill -9} mid-run (their last call stays pending: it may or may not have taken effect). The merged
 * history must be linearizable against {@link VersionedRegister} (Wing and Gong's search, per key).
 *
 * <p>{@link #quick} runs in every build; {@link #campaign} with {@code ./mvnw -Pchaos verify}
 * (seed: {@code -Dchaos.seed=N}).
 */
class CasLinearizabilityTest {
  private static final int PROCESSES = 8;
  private static final int KEYS = 3;

  @TempDir Path dir;

  /** Which history file (by process number) each live slot writes. */
  private final List<Integer> slots = new ArrayList<>();

  /** What one run found. */
  record Report(long seed, int operations, int pending, int killed, Result result) {
    String line() {
      return String.format(
          "seed %d: %d processes on %d keys, %d operations (%d pending), %d kill -9: %s",
          seed,
          PROCESSES,
          KEYS,
          operations,
          pending,
          killed,
          result.linearizable() ? "linearizable" : "NOT linearizable: " + result.explanation());
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void quick() throws Exception {
    Report report = run(seed(), 60, 2);
    assertThat(report.result().linearizable()).as(report.line()).isTrue();
    assertThat(report.killed()).isEqualTo(2);
  }

  @Test
  @Tag("chaos")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void campaign() throws Exception {
    Report report = run(seed(), 400, 12);
    Files.writeString(
        Path.of("target", "chaos-cas.txt"), report.line() + "\n", StandardCharsets.UTF_8);
    assertThat(report.result().linearizable()).as(report.line()).isTrue();
  }

  private static long seed() {
    String given = System.getProperty("chaos.seed");
    long seed = given == null ? System.nanoTime() : Long.parseLong(given);
    System.out.println("chaos seed " + seed);
    return seed;
  }

  /**
   * Runs {@code PROCESSES} clients of {@code ops} operations each and kills {@code kills} of them
   * (replacing each by a fresh process with its own history file) at random instants.
   */
  private Report run(long seed, int ops, int kills) throws Exception {
    Path root = dir.resolve("root");
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      phi.init(List.of());
    }
    Random random = new Random(seed);
    List<Process> live = new ArrayList<>();
    List<Path> histories = new ArrayList<>();
    int[] started = {0};
    slots.clear();
    for (int i = 0; i < PROCESSES; i++) {
      slots.add(i);
    }
    java.util.function.Supplier<Process> launch =
        () -> {
          int id = started[0]++;
          Path history = dir.resolve("history-" + id + ".jsonl");
          histories.add(history);
          try {
            return ChildJvm.start(
                CasClient.class,
                Map.of(),
                dir.resolve("client-" + id + ".log"),
                root.toString(),
                Integer.toString(id),
                Integer.toString(ops),
                Integer.toString(KEYS),
                history.toString(),
                Long.toString(seed));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    int killed = 0;
    try {
      for (int i = 0; i < PROCESSES; i++) {
        live.add(launch.get());
      }
      while (killed < kills) {
        // A random slot whose process has made progress (its history has lines) is killed mid-run.
        int slot = random.nextInt(PROCESSES);
        Process victim = live.get(slot);
        if (!victim.isAlive()) {
          if (live.stream().noneMatch(Process::isAlive)) {
            break; // The workload ended: no mid-run instants are left.
          }
          continue;
        }
        long wanted = 2 + random.nextInt(ops);
        if (lines(slotHistory(histories, slot)) < wanted) {
          Thread.sleep(20);
          continue;
        }
        assertThat(ChildJvm.kill9(victim)).isTrue();
        killed++;
        live.set(slot, launch.get());
        slots.set(slot, started[0] - 1);
      }
      for (Process p : live) {
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("client finished").isTrue();
        assertThat(p.exitValue()).as("client exit; logs in %s", dir).isZero();
      }
    } finally {
      for (Process p : live) {
        p.destroyForcibly();
      }
    }
    List<Operation<VersionedRegister.Input, VersionedRegister.Output>> history =
        History.read(histories, VersionedRegister::input, VersionedRegister::output);
    int pending = (int) history.stream().filter(o -> o.output() == null).count();
    Result result = Checker.check(VersionedRegister.MODEL, history);
    Report report = new Report(seed, history.size(), pending, killed, result);
    System.out.println(report.line());
    return report;
  }

  private Path slotHistory(List<Path> histories, int slot) {
    return histories.get(slots.get(slot));
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }
}
