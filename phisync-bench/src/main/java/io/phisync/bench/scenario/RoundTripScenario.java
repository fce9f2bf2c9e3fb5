package io.phisync.bench.scenario;

import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import io.phisync.bench.scenario.Measurement.Better;
import java.util.ArrayList;
import java.util.List;

/**
 * Request/response round trips at a low rate (one every 10 ms) between a requester JVM and a
 * responder JVM: p50, p99, p99.9; against Camel (file routes on both sides) and the codex (backoff
 * polling of the inbox, 500 ms polling of the outbox).
 */
final class RoundTripScenario implements Scenario {
  static final long INTERVAL_MS = 10;

  @Override
  public String name() {
    return "round-trip";
  }

  @Override
  public String description() {
    return "request/response round trip p50/p99/p99.9 at one request per " + INTERVAL_MS + " ms";
  }

  @Override
  public List<Measurement> run(BenchRun run, Mode mode) throws Exception {
    List<Measurement> out = new ArrayList<>();
    for (Subject subject :
        List.of(
            Subject.PHISYNC, Subject.RAW_FS, Subject.RAW_FS_KEPT, Subject.CAMEL, Subject.CODEX)) {
      int count =
          switch (subject) {
            case PHISYNC, RAW_FS, RAW_FS_KEPT -> run.size(2_000, 50);
            case CAMEL -> run.size(500, 30);
            default -> run.size(10, 3);
          };
      run.progress(name() + " " + mode.label() + " " + subject.label() + " x" + count);
      ChildResult result =
          Children.roundTrips(run, subject, mode, run.newRoot(name(), mode), count, INTERVAL_MS);
      Percentiles p = new Percentiles(result.latenciesMicros());
      out.add(latency(mode, subject, "p50", p.at(50)));
      out.add(latency(mode, subject, "p99", p.at(99)));
      out.add(latency(mode, subject, "p99.9", p.at(99.9)));
    }
    return out;
  }

  private Measurement latency(Mode mode, Subject subject, String metric, long micros) {
    return new Measurement(
        name(), mode.label(), subject.label(), metric, micros / 1000.0, "ms", Better.LOWER);
  }
}
