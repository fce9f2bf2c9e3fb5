package io.phisync.bench.scenario;

import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import io.phisync.bench.scenario.Measurement.Better;
import java.util.ArrayList;
import java.util.List;

/**
 * One-way throughput: N producer JVMs to one consumer JVM, messages per second from the start
 * signal to the last ack; against the raw create-write-rename loop, the codex's polling and Camel.
 */
final class OneWayScenario implements Scenario {
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
    List<Measurement> out = new ArrayList<>();
    for (Subject subject : List.of(Subject.PHISYNC, Subject.CAMEL, Subject.CODEX)) {
      run.progress(name() + " " + mode.label() + " " + subject.label());
      ChildResult result =
          Children.oneWay(run, subject, mode, run.newRoot(name(), mode), producers, perProducer, 0);
      out.add(throughput(mode, subject.label(), result));
    }
    run.progress(name() + " " + mode.label() + " " + Subject.RAW_FS.label());
    out.add(throughput(mode, Subject.RAW_FS.label(), Children.raw(run, mode, total)));
    return out;
  }

  private Measurement throughput(Mode mode, String subject, ChildResult result) {
    return new Measurement(
        name(), mode.label(), subject, "throughput", result.perSecond(), "msg/s", Better.HIGHER);
  }
}
