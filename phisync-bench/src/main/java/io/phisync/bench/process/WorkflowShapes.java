package io.phisync.bench.process;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.workflow.Merge;
import io.phisync.workflow.Step;
import io.phisync.workflow.StepBody;
import io.phisync.workflow.TriggerRule;
import io.phisync.workflow.WorkflowDefinition;
import io.phisync.workflow.WorkflowDefinition.StepDefaults;
import java.util.ArrayList;
import java.util.List;

/**
 * The two workflows the workflow-overhead scenario runs: {@code steps} no-op tasks to one agent,
 * either in a chain (each depends on the one before) or as the branches of one parallel step.
 */
@SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
public final class WorkflowShapes {
  /** The command every task sends; the no-op agent echoes any command's payload. */
  public static final String COMMAND = "noop";

  /**
   * Index, in the orchestrator's {@code latenciesMicros}, of the wall time of the first block of
   * sequential calls (before the chain). The calls come in three blocks of {@link #callBlock} each
   * — before the chain, between the chain and the fan-out, after the fan-out — so that each
   * workflow's reference is measured on both sides of it: a machine whose speed drifts during the
   * run moves the reference with the workflow.
   */
  public static final int CALLS = 0;

  /** Index of the chain's wall time, from {@code start} to the run's end. */
  public static final int CHAIN = 1;

  /** Index of the fan-out's wall time, from {@code start} to the run's end. */
  public static final int FAN_OUT = 2;

  /** Index of the second block of calls' wall time (between the chain and the fan-out). */
  public static final int CALLS_BETWEEN = 3;

  /** Index of the third block of calls' wall time (after the fan-out). */
  public static final int CALLS_AFTER = 4;

  /** The calls in each of the three blocks: half the steps (at least one). */
  public static int callBlock(int steps) {
    return Math.max(1, steps / 2);
  }

  private WorkflowShapes() {}

  /** {@code s1 -> s2 -> ... -> s<steps>}, each a task to {@code agent}. */
  public static WorkflowDefinition chain(AgentName agent, int steps) {
    List<Step> chain = new ArrayList<>(steps);
    for (int i = 1; i <= steps; i++) {
      chain.add(task("s" + i, agent, i, i == 1 ? List.of() : List.of("s" + (i - 1))));
    }
    return new WorkflowDefinition(
        "bench-chain", steps + " no-op tasks in a chain", chain, null, null, StepDefaults.NONE);
  }

  /** One parallel step of {@code steps} branches, each a task to {@code agent}, collected. */
  public static WorkflowDefinition fanOut(AgentName agent, int steps) {
    List<Step> branches = new ArrayList<>(steps);
    for (int i = 1; i <= steps; i++) {
      branches.add(task("b" + i, agent, i, List.of()));
    }
    Step fan =
        new Step(
            "fan",
            List.of(),
            TriggerRule.ALL_SUCCESS,
            null,
            null,
            null,
            null,
            new StepBody.Parallel(branches, Merge.COLLECT));
    return new WorkflowDefinition(
        "bench-fanout",
        steps + " no-op tasks as parallel branches",
        List.of(fan),
        null,
        null,
        StepDefaults.NONE);
  }

  private static Step task(String id, AgentName agent, int index, List<String> dependsOn) {
    return new Step(
        id,
        dependsOn,
        TriggerRule.ALL_SUCCESS,
        null,
        null,
        null,
        null,
        new StepBody.Task(agent, COMMAND, Json.object().put("step", index)));
  }
}
