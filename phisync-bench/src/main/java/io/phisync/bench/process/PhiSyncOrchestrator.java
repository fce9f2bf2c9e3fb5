package io.phisync.bench.process;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.workflow.RunOptions;
import io.phisync.workflow.RunStatus;
import io.phisync.workflow.RunView;
import io.phisync.workflow.WorkflowDefinition;
import java.time.Duration;

/**
 * The workflow-overhead orchestrator: after the start signal and a block of untimed calls (to warm
 * both JVMs up against each other) it makes a block of sequential {@code call}s to the no-op agent
 * (the reference: round trips without the engine), runs a chain of {@code steps} tasks, makes a
 * second block of calls, runs a fan-out of {@code steps} parallel branches, and makes a third
 * block, all to the same agent ({@link WorkflowShapes#callBlock} calls a block). Its result's
 * {@code latenciesMicros} are the five wall times at the indexes of {@link WorkflowShapes}; {@code
 * count} is {@code steps}.
 */
final class PhiSyncOrchestrator extends PhiSyncRole {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(30);

  PhiSyncOrchestrator(ChildOptions options) {
    super(options);
  }

  @Override
  void warmMore() throws Exception {
    Warmup.workflows(options.mode());
  }

  @Override
  public ChildResult run() throws Exception {
    PhiSync open = phi();
    AgentName from = options.agent("from");
    AgentName to = options.agent("to");
    int steps = options.integer("steps");
    long start = System.nanoTime();
    long[] micros = new long[5];
    int block = WorkflowShapes.callBlock(steps);
    // Untimed: the first calls between the two JVMs ran up to 1.5 times as slow as the later ones
    // (each JVM warmed up on a scratch root of its own, not against the other).
    calls(open, from, to, block, 0);
    micros[WorkflowShapes.CALLS] = calls(open, from, to, block, 1);
    micros[WorkflowShapes.CHAIN] = timeRun(open, from, WorkflowShapes.chain(to, steps));
    ChildMain.progress(per(steps + "-step chain", micros[WorkflowShapes.CHAIN], steps, "step"));
    micros[WorkflowShapes.CALLS_BETWEEN] = calls(open, from, to, block, 2);
    micros[WorkflowShapes.FAN_OUT] = timeRun(open, from, WorkflowShapes.fanOut(to, steps));
    ChildMain.progress(
        per(steps + "-branch fan-out", micros[WorkflowShapes.FAN_OUT], steps, "step"));
    micros[WorkflowShapes.CALLS_AFTER] = calls(open, from, to, block, 3);
    return new ChildResult(steps, System.nanoTime() - start, micros);
  }

  /**
   * Makes {@code block} sequential calls (block {@code n} of 3, or the warm-up when 0); their wall
   * time in microseconds.
   */
  private static long calls(PhiSync open, AgentName from, AgentName to, int block, int n)
      throws InterruptedException {
    long t0 = System.nanoTime();
    for (int i = 1; i <= block; i++) {
      open.bus().call(from, to, WorkflowShapes.COMMAND, Json.object().put("step", i), RUN_LIMIT);
    }
    long micros = (System.nanoTime() - t0) / 1_000;
    String which = n == 0 ? "warm-up" : "block " + n + " of 3";
    ChildMain.progress(per(block + " bare calls (" + which + ")", micros, block, "call"));
    return micros;
  }

  private static String per(String what, long micros, int n, String unit) {
    return String.format(
        java.util.Locale.ROOT, "%s done: %.2f ms per %s", what, micros / 1000.0 / n, unit);
  }

  /** Runs {@code definition} to its end in this process; its wall time in microseconds. */
  static long timeRun(PhiSync phi, AgentName orchestrator, WorkflowDefinition definition)
      throws InterruptedException {
    long t0 = System.nanoTime();
    RunView end =
        phi.workflows()
            .start(definition, Json.object(), RunOptions.as(orchestrator))
            .await(RUN_LIMIT)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        definition.name() + " did not end within " + RUN_LIMIT));
    long elapsed = (System.nanoTime() - t0) / 1_000;
    if (end.status() != RunStatus.COMPLETED) {
      throw new IllegalStateException(
          definition.name() + " ended " + end.status() + ": " + end.error());
    }
    return elapsed;
  }
}
