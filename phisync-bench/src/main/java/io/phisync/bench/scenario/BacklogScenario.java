package io.phisync.bench.scenario;

import io.phisync.bench.process.Backlogs;
import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import io.phisync.bench.scenario.Measurement.Better;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draining a backlog: the inbox is filled first, then a consumer JVM starts and takes everything.
 * Time per message for a large backlog and for a 100-message one; their ratio shows whether the
 * cost per message grows with the backlog (quadratic directory scans would).
 */
final class BacklogScenario implements Scenario {
  static final int SMALL = 100;

  @Override
  public String name() {
    return "backlog";
  }

  @Override
  public String description() {
    return "drain a 100,000-message backlog vs a 100-message one, time per message";
  }

  @Override
  public List<Measurement> run(BenchRun run, Mode mode) throws Exception {
    int large = run.size(100_000, 2_000);
    List<Measurement> out = new ArrayList<>();
    for (Subject subject : List.of(Subject.PHISYNC, Subject.CAMEL, Subject.CODEX)) {
      double perLarge = perMessage(run, subject, mode, large);
      double perSmall = perMessage(run, subject, mode, SMALL);
      out.add(measurement(mode, subject, "per msg @" + large, perLarge, "us", Better.LOWER));
      out.add(measurement(mode, subject, "per msg @" + SMALL, perSmall, "us", Better.LOWER));
      out.add(
          measurement(
              mode,
              subject,
              "@" + SMALL + " / @" + large,
              perSmall / perLarge,
              "x",
              Better.HIGHER));
    }
    return out;
  }

  private double perMessage(BenchRun run, Subject subject, Mode mode, int count) throws Exception {
    run.progress(name() + " " + mode.label() + " " + subject.label() + " filling " + count);
    Path root = run.newRoot(name(), mode);
    Backlogs.fill(root, BenchRun.FROM, BenchRun.TO, subject, count);
    run.progress(name() + " " + mode.label() + " " + subject.label() + " draining " + count);
    ChildResult result = Children.drain(run, subject, mode, root, count);
    return result.elapsedNanos() / 1000.0 / count;
  }

  private Measurement measurement(
      Mode mode, Subject subject, String metric, double value, String unit, Better better) {
    return new Measurement(name(), mode.label(), subject.label(), metric, value, unit, better);
  }
}
