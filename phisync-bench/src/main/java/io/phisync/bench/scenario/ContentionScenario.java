package io.phisync.bench.scenario;

import io.phisync.bench.process.Child;
import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import io.phisync.bench.scenario.Measurement.Better;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Contention of {@value #PROCESSES} processes for one lock ({@code lock-contention}: acquire and
 * release) or one state key ({@code cas-contention}: read, compare-and-set, retry on conflict):
 * operations per second over all processes, and the latency of one operation with its waits and
 * retries. No reference: neither the codex nor Camel's file component has locks or CAS.
 */
final class ContentionScenario implements Scenario {
  static final int PROCESSES = 4;
  private static final Duration READY = Duration.ofMinutes(2);
  private static final Duration DONE = Duration.ofMinutes(30);

  private final boolean lock;

  ContentionScenario(boolean lock) {
    this.lock = lock;
  }

  @Override
  public String name() {
    return lock ? "lock-contention" : "cas-contention";
  }

  @Override
  public String description() {
    return lock
        ? "lock acquire + release, " + PROCESSES + " JVMs contending for one lock"
        : "compare-and-set increments, " + PROCESSES + " JVMs contending for one key";
  }

  @Override
  public List<Measurement> run(BenchRun run, Mode mode) throws Exception {
    int perProcess = mode == Mode.FAST ? run.size(2_000, 50) : run.size(500, 20);
    run.progress(name() + " " + mode.label() + " phisync");
    java.nio.file.Path root = run.newRoot(name(), mode);
    List<Child> children = new ArrayList<>();
    List<ChildResult> results = new ArrayList<>();
    try {
      for (int i = 0; i < PROCESSES; i++) {
        children.add(
            Child.start(
                run.logs(),
                lock ? "lock" : "cas",
                Subject.PHISYNC,
                mode,
                Map.of("root", root, "name", "bench-" + name(), "count", perProcess)));
      }
      for (Child child : children) {
        child.awaitReady(READY);
      }
      for (Child child : children) {
        child.go();
      }
      for (Child child : children) {
        results.add(child.awaitResult(DONE));
      }
    } finally {
      children.forEach(Child::close);
    }
    long count = 0;
    long elapsed = 0;
    List<Long> all = new ArrayList<>();
    for (ChildResult result : results) {
      count += result.count();
      elapsed = Math.max(elapsed, result.elapsedNanos());
      for (long micros : result.latenciesMicros()) {
        all.add(micros);
      }
    }
    Percentiles latencies = new Percentiles(all.stream().mapToLong(Long::longValue).toArray());
    String subject = Measurement.PHISYNC;
    return List.of(
        new Measurement(
            name(),
            mode.label(),
            subject,
            "throughput",
            count * 1e9 / Math.max(1, elapsed),
            "op/s",
            Better.HIGHER),
        new Measurement(
            name(), mode.label(), subject, "p50", latencies.at(50) / 1000.0, "ms", Better.LOWER),
        new Measurement(
            name(), mode.label(), subject, "p99", latencies.at(99) / 1000.0, "ms", Better.LOWER));
  }
}
