package io.phisync.workflow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Runs workflows durably. Every run is journaled in {@code shared/workflows/}: each decision (a
 * step scheduled, an attempt's result, a timer, an approval) is committed to the run's journal
 * before the engine acts on it, so an orchestrator killed at any instant can be resumed by any
 * process, and a step that completed is never sent to an agent again. Request ids derive from run,
 * step and attempt, so a request re-sent after a crash is deduplicated by the agent.
 *
 * <pre>{@code
 * WorkflowDefinition release = phi.workflows().load(Path.of("examples/release.yaml"));
 * RunHandle run = phi.workflows().start(release, input, RunOptions.as(dc));
 * RunView done = run.await(Duration.ofMinutes(30)).orElseThrow();
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface Workflows {

  /**
   * The engine over a transport's {@code WORKFLOWS} log ({@code PhiSync.workflows()} builds it):
   * CEL expressions, the canonical definition JSON in journals, a 30 s lock lease renewed while a
   * run executes, the run's view file refreshed at most every 250 ms.
   *
   * @param approvals where approval steps ask, or null to fail them ({@code NoApprovals})
   */
  static Workflows over(
      io.phisync.spi.Transport transport,
      java.time.Clock clock,
      io.phisync.lock.Locks locks,
      io.phisync.approval.@Nullable Approvals approvals) {
    return new DefaultWorkflows(
        transport,
        clock,
        locks,
        approvals,
        CelExpressions.create(),
        new CodecDefinitions(),
        Duration.ofSeconds(30),
        Duration.ofMillis(250));
  }

  /**
   * Loads and validates a definition from a YAML or JSON file (sub-workflow files it names are
   * resolved relative to it).
   *
   * @throws WorkflowValidationException listing every problem, each with the step it concerns
   */
  WorkflowDefinition load(Path file);

  /**
   * Validates a definition.
   *
   * @throws WorkflowValidationException listing every problem, each with the step it concerns
   */
  void validate(WorkflowDefinition definition);

  /** Journals a new run and starts executing it in this process; returns at once. */
  RunHandle start(WorkflowDefinition definition, JsonNode input, RunOptions options);

  /** Journals a new run without executing it (a {@link #resume} anywhere runs it). */
  String create(WorkflowDefinition definition, JsonNode input, RunOptions options);

  /**
   * Continues a run in this process from its journal.
   *
   * @throws WorkflowException when there is no such run, it has ended, or another live process is
   *     executing it
   */
  RunHandle resume(String runId, RunOptions options);

  /**
   * Runs a failed or canceled run again: the failed, timed-out, upstream-failed, skipped-by-them
   * and canceled steps (or {@code fromStep} and every step downstream of it) start over with fresh
   * attempts; completed steps keep their outputs.
   */
  RunHandle retry(String runId, @Nullable String fromStep, RunOptions options);

  /** Asks a run to stop: journaled, and acted on by whichever process executes it. */
  void cancel(String runId, String reason);

  /** The run as its journal tells it now. */
  Optional<RunView> status(String runId);

  /**
   * The definition a run executes, as the {@code RunCreated} entry of its journal holds it (its
   * canonical JSON decoded), or empty when there is no such run.
   *
   * @throws WorkflowException when {@code runId} is not a run id
   */
  Optional<WorkflowDefinition> definition(String runId);

  /** Every run, newest first. */
  List<RunView> list();

  /** Waits up to {@code wait} for a run to end; returns its view if it did. */
  Optional<RunView> awaitEnd(String runId, Duration wait) throws InterruptedException;

  /** A run executing in this process. */
  interface RunHandle {
    String runId();

    /** The latest view; cheap. */
    RunView view();

    /** Waits up to {@code wait} for the run to end. */
    Optional<RunView> await(Duration wait) throws InterruptedException;
  }
}
