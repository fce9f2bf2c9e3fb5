package io.phisync.bench.scenario;

import io.phisync.bench.process.Child;
import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import io.phisync.bench.process.WorkflowShapes;
import io.phisync.bench.scenario.Measurement.Better;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Workflow overhead per step: an orchestrator JVM runs a chain of {@code steps} no-op tasks and a
 * fan-out of {@code steps} parallel branches against a no-op agent in another JVM (it echoes each
 * request's payload). The reference, in the same orchestrator JVM and run, is the same number of
 * sequential {@code call}s to the same agent without the engine: overhead per step = workflow wall
 * time per step − round-trip time per step. The target (issue 7) is at most {@value #TARGET_MS} ms
 * of overhead per step.
 */
final class WorkflowScenario implements Scenario {
  /** The target: engine overhead per step, ms. */
  static final double TARGET_MS = 2.0;

  /** The subject of the reference rows: sequential bus calls, no engine. */
  static final String CALLS = "bus-calls";

  static final String CHAIN_PER_STEP = "chain per step";
  static final String FAN_OUT_PER_STEP = "fan-out per step";
  static final String CHAIN_OVERHEAD = "chain overhead/step";
  static final String FAN_OUT_OVERHEAD = "fan-out overhead/step";

  private static final Duration READY = Duration.ofMinutes(3);
  private static final Duration DONE = Duration.ofMinutes(60);

  private final int fullSteps;
  private final int quickSteps;

  WorkflowScenario() {
    this(500, 50);
  }

  /** With other sizes (tests). */
  WorkflowScenario(int fullSteps, int quickSteps) {
    this.fullSteps = fullSteps;
    this.quickSteps = quickSteps;
  }

  @Override
  public String name() {
    return "workflow";
  }

  @Override
  public String description() {
    return "workflow overhead per step: a "
        + fullSteps
        + "-step chain and a "
        + fullSteps
        + "-branch fan-out of no-op tasks vs as many bare calls";
  }

  @Override
  public List<Measurement> run(BenchRun run, Mode mode) throws Exception {
    int steps = run.size(fullSteps, quickSteps);
    run.progress(
        name()
            + " "
            + mode.label()
            + ": "
            + steps
            + " calls, a "
            + steps
            + "-step chain, a "
            + steps
            + "-branch fan-out");
    Path root = run.newRoot(name(), mode);
    ChildResult result;
    try (Child agent =
            Child.start(
                run.logs(),
                "respond",
                Subject.PHISYNC,
                mode,
                Map.of("root", root, "agent", BenchRun.TO, "count", 3 * steps));
        Child orchestrator =
            Child.start(
                run.logs(),
                "orchestrate",
                Subject.PHISYNC,
                mode,
                Map.of("root", root, "from", BenchRun.FROM, "to", BenchRun.TO, "steps", steps))) {
      String label = name() + " " + mode.label() + ": ";
      orchestrator.progressTo(step -> run.progress(label + step));
      agent.awaitReady(READY);
      orchestrator.awaitReady(READY);
      agent.go();
      orchestrator.go();
      result = orchestrator.awaitResult(DONE);
    }
    long[] micros = result.latenciesMicros();
    return measurements(
        mode,
        steps,
        micros[WorkflowShapes.CALLS],
        micros[WorkflowShapes.CHAIN],
        micros[WorkflowShapes.FAN_OUT]);
  }

  /** The rows of one mode from the three wall times (microseconds) of {@code steps} each. */
  List<Measurement> measurements(
      Mode mode, int steps, long callsMicros, long chainMicros, long fanOutMicros) {
    double call = callsMicros / 1000.0 / steps;
    double chain = chainMicros / 1000.0 / steps;
    double fan = fanOutMicros / 1000.0 / steps;
    String m = mode.label();
    String p = Measurement.PHISYNC;
    return List.of(
        new Measurement(name(), m, p, CHAIN_PER_STEP, chain, "ms", Better.LOWER),
        new Measurement(name(), m, p, FAN_OUT_PER_STEP, fan, "ms", Better.LOWER),
        new Measurement(name(), m, CALLS, "round trip", call, "ms", Better.LOWER),
        new Measurement(name(), m, p, CHAIN_OVERHEAD, chain - call, "ms", Better.LOWER),
        new Measurement(name(), m, p, FAN_OUT_OVERHEAD, fan - call, "ms", Better.LOWER),
        new Measurement(name(), m, p, "chain / call", chain / call, "x", Better.LOWER),
        new Measurement(name(), m, p, "fan-out / call", fan / call, "x", Better.LOWER));
  }
}
