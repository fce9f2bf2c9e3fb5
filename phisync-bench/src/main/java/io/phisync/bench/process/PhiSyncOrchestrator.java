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
 * The workflow-overhead orchestrator: after the start signal it makes {@code steps} sequential
 * {@code call}s to the no-op agent (the reference: round trips without the engine), then runs a
 * chain of {@code steps} tasks, then a fan-out of {@code steps} parallel branches, all to the same
 * agent. Its result's {@code latenciesMicros} are the three wall times in that order ({@link
 * WorkflowShapes#CALLS}, {@link WorkflowShapes#CHAIN}, {@link WorkflowShapes#FAN_OUT}); {@code
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
    long[] micros = new long[3];

    long t0 = System.nanoTime();
    for (int i = 1; i <= steps; i++) {
      open.bus().call(from, to, WorkflowShapes.COMMAND, Json.object().put("step", i), RUN_LIMIT);
    }
    micros[WorkflowShapes.CALLS] = (System.nanoTime() - t0) / 1_000;
    ChildMain.progress(perStep(steps + " bare calls", micros[WorkflowShapes.CALLS], steps));
    micros[WorkflowShapes.CHAIN] = timeRun(open, from, WorkflowShapes.chain(to, steps));
    ChildMain.progress(perStep(steps + "-step chain", micros[WorkflowShapes.CHAIN], steps));
    micros[WorkflowShapes.FAN_OUT] = timeRun(open, from, WorkflowShapes.fanOut(to, steps));
    ChildMain.progress(perStep(steps + "-branch fan-out", micros[WorkflowShapes.FAN_OUT], steps));
    return new ChildResult(steps, System.nanoTime() - start, micros);
  }

  private static String perStep(String what, long micros, int steps) {
    return String.format(
        java.util.Locale.ROOT, "%s done: %.2f ms per step", what, micros / 1000.0 / steps);
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
