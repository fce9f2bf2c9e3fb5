package io.phisync.bench.scenario;

import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import io.phisync.bench.scenario.Measurement.Better;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle wake-up: a consumer JVM that has been idle for a while gets one message; the time from the
 * producer's write to the consumer having it (wall clock, one host). Against Camel and the codex.
 */
final class IdleWakeupScenario implements Scenario {
  @Override
  public String name() {
    return "idle-wakeup";
  }

  @Override
  public String description() {
    return "latency of one message to a consumer idle for 2 s";
  }

  @Override
  public List<Measurement> run(BenchRun run, Mode mode) throws Exception {
    long idleMs = run.size(2_000, 300);
    int count = run.size(8, 2);
    List<Measurement> out = new ArrayList<>();
    for (Subject subject : List.of(Subject.PHISYNC, Subject.RAW_FS, Subject.CAMEL, Subject.CODEX)) {
      run.progress(name() + " " + mode.label() + " " + subject.label() + " x" + count);
      ChildResult result =
          Children.oneWay(run, subject, mode, run.newRoot(name(), mode), 1, count, idleMs, 0);
      Percentiles p = new Percentiles(result.latenciesMicros());
      out.add(latency(mode, subject, "p50", p.at(50)));
      out.add(latency(mode, subject, "max", p.max()));
    }
    return out;
  }

  private Measurement latency(Mode mode, Subject subject, String metric, long micros) {
    return new Measurement(
        name(), mode.label(), subject.label(), metric, micros / 1000.0, "ms", Better.LOWER);
  }
}
