package io.phisync.bench.scenario;

import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import io.phisync.bench.scenario.Measurement.Better;
import java.util.ArrayList;
import java.util.List;

/**
 * One-way throughput: N producer JVMs to one consumer JVM, messages per second from the start
 * signal to the last ack; against the raw create-write-rename loop (a producer alone), the same
 * writes into a bare consumer that keeps what it read (raw-fs-kept), the codex's polling and Camel.
 */
final class OneWayScenario implements Scenario {
  /**
   * Messages each JVM runs through its own path before the start (every subject alike): enough for
   * the JIT's second tier to compile the hot code, which it otherwise compiled during the timed
   * part, on the cores the roles need (BENCHMARKS, "One-way, fifth pass").
   */
  static final int BURST = 10_000;

  private final int producers;

  OneWayScenario(int producers) {
    this.producers = producers;
  }

  @Override
  public String name() {
    return "one-way-" + producers;
  }

  @Override
  public String description() {
    return "one-way throughput, " + producers + " producer JVM(s) to 1 consumer JVM";
  }

  @Override
  public List<Measurement> run(BenchRun run, Mode mode) throws Exception {
    int total = mode == Mode.FAST ? run.size(20_000, 400) : run.size(2_000, 100);
    int perProducer = total / producers;
    int burst = run.size(BURST, 0);
    List<Measurement> out = new ArrayList<>();
    for (Subject subject :
        List.of(Subject.PHISYNC, Subject.CAMEL, Subject.CODEX, Subject.RAW_FS_KEPT)) {
      run.progress(name() + " " + mode.label() + " " + subject.label());
      ChildResult result =
          Children.oneWay(
              run, subject, mode, run.newRoot(name(), mode), producers, perProducer, 0, burst);
      out.add(throughput(mode, subject.label(), result));
    }
    run.progress(name() + " " + mode.label() + " " + Subject.RAW_FS.label());
    out.add(throughput(mode, Subject.RAW_FS.label(), Children.raw(run, mode, total, burst)));
    return out;
  }

  private Measurement throughput(Mode mode, String subject, ChildResult result) {
    return new Measurement(
        name(), mode.label(), subject, "throughput", result.perSecond(), "msg/s", Better.HIGHER);
  }
}
