package io.phisync.bench.scenario;

import io.phisync.bench.process.Mode;
import java.util.List;

/**
 * One end-to-end benchmark: PhiSync and its references, measured in the same run. Register a new
 * one in {@link Scenarios#all()}.
 */
public interface Scenario {
  /** The name {@code --scenario} selects, e.g. {@code one-way-4}. */
  String name();

  /** One line: what is measured and against what. */
  String description();

  /** Whether the scenario runs once per write mode (fast, durable) or once in all. */
  default boolean perMode() {
    return true;
  }

  /** Runs the scenario in this mode (ignored unless {@link #perMode()}). */
  List<Measurement> run(BenchRun run, Mode mode) throws Exception;
}
