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
        + "-branch fan-out of no-op tasks vs bare calls made before, between and after them";
  }

  @Override
  public List<Measurement> run(BenchRun run, Mode mode) throws Exception {
    int steps = run.size(fullSteps, quickSteps);
    int block = WorkflowShapes.callBlock(steps);
    run.progress(
        name()
            + " "
            + mode.label()
            + ": "
            + block
            + " calls to warm up, "
            + block
            + " calls, a "
            + steps
            + "-step chain, "
            + block
            + " calls, a "
            + steps
            + "-branch fan-out, "
            + block
            + " calls");
    Path root = run.newRoot(name(), mode);
    ChildResult result;
    try (Child agent =
            Child.start(
                run.logs(),
                "respond",
                Subject.PHISYNC,
                mode,
                Map.of(
                    "root",
                    root,
                    "agent",
                    BenchRun.TO,
                    "count",
                    4 * WorkflowShapes.callBlock(steps) + 2 * steps));
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
    return measurements(mode, steps, result.latenciesMicros());
  }

  /**
   * The rows of one mode from the orchestrator's five wall times (microseconds; see {@link
   * WorkflowShapes#CALLS}): each workflow's overhead is against the calls made just before and just
   * after it; the round trip shown is that of all the calls.
   */
  List<Measurement> measurements(Mode mode, int steps, long[] micros) {
    double block = WorkflowShapes.callBlock(steps);
    double before = micros[WorkflowShapes.CALLS] / 1000.0 / block;
    double between = micros[WorkflowShapes.CALLS_BETWEEN] / 1000.0 / block;
    double after = micros[WorkflowShapes.CALLS_AFTER] / 1000.0 / block;
    double call = (before + between + after) / 3;
    double chainCall = (before + between) / 2;
    double fanCall = (between + after) / 2;
    double chain = micros[WorkflowShapes.CHAIN] / 1000.0 / steps;
    double fan = micros[WorkflowShapes.FAN_OUT] / 1000.0 / steps;
    String m = mode.label();
    String p = Measurement.PHISYNC;
    return List.of(
        new Measurement(name(), m, p, CHAIN_PER_STEP, chain, "ms", Better.LOWER),
        new Measurement(name(), m, p, FAN_OUT_PER_STEP, fan, "ms", Better.LOWER),
        new Measurement(name(), m, CALLS, "round trip", call, "ms", Better.LOWER),
        new Measurement(name(), m, p, CHAIN_OVERHEAD, chain - chainCall, "ms", Better.LOWER),
        new Measurement(name(), m, p, FAN_OUT_OVERHEAD, fan - fanCall, "ms", Better.LOWER),
        new Measurement(name(), m, p, "chain / call", chain / chainCall, "x", Better.LOWER),
        new Measurement(name(), m, p, "fan-out / call", fan / fanCall, "x", Better.LOWER));
  }
}
