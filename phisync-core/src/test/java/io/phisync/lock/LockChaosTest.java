package io.phisync.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.spi.Durability;
import io.phisync.testing.chaos.Agents;
import io.phisync.testing.chaos.Campaign;
import io.phisync.testing.chaos.Kill9;
import io.phisync.testing.chaos.StopPastLease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock workload of the chaos campaign: holder processes increment a counter under a lock with
 * fenced writes while they are killed with {@code kill -9} and stopped past their lease. It counts
 * <b>lock violations as the fenced store sees them</b>: a write accepted with a token lower than a
 * write the store accepted before it (two holders at once, the older one let through). It fails on
 * any. It reports lost updates (two accepted writes of the same value: a superseded holder that
 * read before and wrote before its successor's first write, which fencing by token alone cannot
 * refuse) and the writes fencing refused.
 *
 * <p>{@link #quick} runs in every build; {@link #campaign} with {@code ./mvnw -Pchaos verify}.
 */
class LockChaosTest {
  @TempDir Path dir;

  record Report(
      long seed,
      int started,
      Map<String, Integer> faults,
      int accepted,
      int fenced,
      int violations,
      int lostUpdates,
      long finalValue) {
    String line() {
      return String.format(
          "seed %d: %d lock holders started, faults %s: %d fenced writes accepted, %d refused by"
              + " fencing, %d lock violations, %d lost updates, counter %d",
          seed, started, faults, accepted, fenced, violations, lostUpdates, finalValue);
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void quick() throws Exception {
    Report report = run(seed(), 3, Duration.ofSeconds(12));
    assertThat(report.violations()).as(report.line()).isZero();
    assertThat(report.accepted()).as(report.line()).isPositive();
  }

  @Test
  @Tag("chaos")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void campaign() throws Exception {
    Report report = run(seed(), 5, Duration.ofSeconds(45));
    Files.writeString(
        Path.of("target", "chaos-locks.txt"), report.line() + "\n", StandardCharsets.UTF_8);
    assertThat(report.violations()).as(report.line()).isZero();
  }

  private static long seed() {
    String given = System.getProperty("chaos.seed");
    long seed = given == null ? System.nanoTime() : Long.parseLong(given);
    System.out.println("chaos seed " + seed);
    return seed;
  }

  private Report run(long seed, int holders, Duration faultsFor) throws Exception {
    Path root = dir.resolve("root");
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      phi.init(List.of());
    }
    Path stop = dir.resolve("stop");
    long leaseMs = 1500;
    Map<String, Integer> faults;
    int started;
    try (Agents agents =
        new Agents(
            Agents.of(
                LockChaosClient.class,
                dir,
                instance ->
                    List.of(
                        root.toString(),
                        dir.resolve(instance + ".effects").toString(),
                        stop.toString(),
                        Long.toString(leaseMs))))) {
      agents.start(holders);
      Campaign campaign =
          new Campaign(
              seed,
              List.of(new Kill9(), new StopPastLease(Duration.ofMillis(2 * leaseMs))),
              Duration.ofMillis(1500));
      faults = campaign.run(agents, () -> false, faultsFor);
      Files.writeString(stop, "stop");
      assertThat(agents.awaitExit(120)).as("holders stopped").isTrue();
      started = agents.started();
    }
    // Accepted writes by revision, from the holders' own logs.
    TreeMap<Long, Long> tokenByRevision = new TreeMap<>();
    Map<Long, Integer> valueCounts = new HashMap<>();
    int fenced = 0;
    List<Path> effects = new ArrayList<>();
    try (var files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".effects")).forEach(effects::add);
    }
    for (Path file : effects) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f[0].equals("ok") && f.length == 4) {
          tokenByRevision.put(Long.parseLong(f[2]), Long.parseLong(f[1]));
          valueCounts.merge(Long.parseLong(f[3]), 1, Integer::sum);
        } else if (f[0].equals("fenced") && f.length == 2) {
          fenced++;
        }
      }
    }
    int violations = 0;
    long highest = Long.MIN_VALUE;
    for (long token : tokenByRevision.values()) {
      if (token < highest) {
        violations++;
      }
      highest = Math.max(highest, token);
    }
    int lost = valueCounts.values().stream().mapToInt(n -> n - 1).sum();
    long finalValue;
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      finalValue =
          phi.state().get(LockChaosClient.COUNTER).map(v -> v.valueOrThrow().asLong()).orElse(0L);
    }
    Report report =
        new Report(
            seed, started, faults, tokenByRevision.size(), fenced, violations, lost, finalValue);
    System.out.println(report.line());
    return report;
  }
}
