package io.phisync.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A run as its journal tells it, at one moment.
 *
 * @param runId the run's id
 * @param workflow the definition's name
 * @param status the run's state
 * @param input the run's input
 * @param output the run's output once completed, else null
 * @param error why it failed or was canceled, else null
 * @param startedAt when it was created
 * @param endedAt when it ended, else null
 * @param parentRunId the run this one is a sub-workflow of, else null
 * @param steps every step, nested ones included, in definition order
 * @param compensationFailures compensations that failed, each "step: reason"
 * @param notes what the run wants an operator to know (e.g. a refused forged approval)
 * @param journalVersion the number of journal entries read
 */
public record RunView(
    String runId,
    String workflow,
    RunStatus status,
    JsonNode input,
    @Nullable JsonNode output,
    @Nullable String error,
    Instant startedAt,
    @Nullable Instant endedAt,
    @Nullable String parentRunId,
    List<StepView> steps,
    List<String> compensationFailures,
    List<String> notes,
    long journalVersion) {

  public RunView {
    steps = List.copyOf(steps);
    compensationFailures = List.copyOf(compensationFailures);
    notes = List.copyOf(notes);
  }

  /** The step with this id. */
  public Optional<StepView> step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * One step of a run.
   *
   * @param id the step's id (a scatter's chunks are {@code <id>[<index>]})
   * @param kind task, parallel, scatter, ...
   * @param parent the enclosing step's id, else null
   * @param status its state
   * @param attempt the current or last attempt, 0 before the first
   * @param startedAt when its first attempt was scheduled, else null
   * @param endedAt when it became done, else null
   * @param error the last failure, else null
   * @param output its output once completed, else null
   */
  public record StepView(
      String id,
      String kind,
      @Nullable String parent,
      StepStatus status,
      int attempt,
      @Nullable Instant startedAt,
      @Nullable Instant endedAt,
      @Nullable String error,
      @Nullable JsonNode output) {}
}
