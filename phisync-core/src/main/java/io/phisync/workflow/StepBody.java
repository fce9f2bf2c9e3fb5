package io.phisync.workflow;

import io.phisync.protocol.AgentName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a step does. Templates ({@code JsonNode} values below) may contain {@code ${expr}} strings:
 * a string that is exactly one {@code ${expr}} becomes the expression's JSON value, and one with
 * text around expressions becomes a string. Expressions are CEL over {@code input}, {@code
 * steps.<id>.output}, {@code steps.<id>.status}, {@code run} and, where noted, {@code item}/{@code
 * chunk} or {@code error}.
 */
public sealed interface StepBody {

  /** The kind, as definitions spell it: task, parallel, scatter, pipeline, ... */
  String kind();

  /**
   * Sends {@code command} to {@code agent} with the rendered payload and awaits the response; its
   * payload is the step's output. An error response ({@code payload.error}) fails the attempt, and
   * {@code payload.errorType} (else {@code AgentError}) is matched against non-retryable errors.
   */
  record Task(AgentName agent, String command, @Nullable JsonNode payload) implements StepBody {
    public Task {
      Objects.requireNonNull(agent, "agent");
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String kind() {
      return "task";
    }
  }

  /**
   * Fan-out/fan-in: the branches run concurrently; the step is done when they all are, and its
   * output is their outputs combined by {@code merge}. It fails when a branch fails.
   */
  record Parallel(List<Step> branches, Merge merge) implements StepBody {
    public Parallel {
      branches = List.copyOf(branches);
    }

    @Override
    public String kind() {
      return "parallel";
    }
  }

  /**
   * Scatter-gather: {@code items} (a CEL expression giving a list) is cut into {@code partitions}
   * chunks of consecutive items (or chunks of {@code chunkSize}); {@code task} runs once per chunk,
   * at most {@code maxConcurrency} at a time (0: all), its templates seeing {@code chunk.items},
   * {@code chunk.index} and {@code chunk.count}; the outputs are combined by {@code merge}. Each
   * chunk retries on its own.
   *
   * <p>The number of partitions may instead come from a template, {@code partitionsTemplate} (such
   * as {@code ${input.chunks}}, with {@code partitions} 0): it is rendered when the scatter is
   * planned and must give a whole number above 0.
   */
  record Scatter(
      String items,
      int partitions,
      int chunkSize,
      int maxConcurrency,
      Task task,
      Merge merge,
      @Nullable String partitionsTemplate)
      implements StepBody {
    public Scatter {
      Objects.requireNonNull(items, "items");
      Objects.requireNonNull(task, "task");
    }

    /** A scatter with a fixed number of partitions (or a chunk size). */
    public Scatter(
        String items, int partitions, int chunkSize, int maxConcurrency, Task task, Merge merge) {
      this(items, partitions, chunkSize, maxConcurrency, task, merge, null);
    }

    /** Whether the partitions are given, as a number above 0 or as a template. */
    public boolean hasPartitions() {
      return partitions > 0 || partitionsTemplate != null;
    }

    @Override
    public String kind() {
      return "scatter";
    }
  }

  /** Stages run one after another; each is a step, and the last one's output is the output. */
  record Pipeline(List<Step> stages) implements StepBody {
    public Pipeline {
      stages = List.copyOf(stages);
    }

    @Override
    public String kind() {
      return "pipeline";
    }
  }

  /**
   * A branch: {@code condition} (CEL) chooses {@code then} or {@code otherwise}, each a block of
   * steps; the steps of the other block are SKIPPED. The output is the chosen block's output (that
   * of its steps without downstream steps; one such step: its output itself).
   */
  record Condition(String condition, List<Step> then, List<Step> otherwise) implements StepBody {
    public Condition {
      Objects.requireNonNull(condition, "condition");
      then = List.copyOf(then);
      otherwise = List.copyOf(otherwise);
    }

    @Override
    public String kind() {
      return "condition";
    }
  }

  /**
   * A human approval gate: a request file the approvers can read, and a decision signed with an
   * approver's key. Output: {@code {"approved": true, "approver": ..., "comment": ...}}; a
   * rejection fails the step (errorType {@code Rejected}).
   *
   * @param approvers who may decide (trusted approver names); empty: any trusted approver
   * @param message what is to be approved, a template
   * @param context what the approver should see, a template (e.g. an audit's output), or null
   * @param timeout how long the request stands
   * @param onTimeout what an expired request means
   */
  record Approval(
      List<AgentName> approvers,
      String message,
      @Nullable JsonNode context,
      Duration timeout,
      ExpiryPolicy onTimeout)
      implements StepBody {
    public Approval {
      approvers = List.copyOf(approvers);
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(timeout, "timeout");
      onTimeout = onTimeout == null ? ExpiryPolicy.REJECT : onTimeout;
    }

    @Override
    public String kind() {
      return "approval";
    }
  }

  /** A timer: waits {@code duration}, or until the instant {@code until} (a template) gives. */
  record Wait(@Nullable Duration duration, @Nullable String until) implements StepBody {
    @Override
    public String kind() {
      return "wait";
    }
  }

  /**
   * Runs another workflow as a child run (its id derived from this run, step and attempt) with the
   * rendered input; its output is this step's output.
   */
  record SubWorkflow(WorkflowDefinition workflow, @Nullable JsonNode input) implements StepBody {
    public SubWorkflow {
      Objects.requireNonNull(workflow, "workflow");
    }

    @Override
    public String kind() {
      return "workflow";
    }
  }

  /** What an approval's expiry means. */
  enum ExpiryPolicy {
    /** The step fails as rejected (errorType {@code ApprovalExpired}). */
    REJECT,
    /** The step is SKIPPED; its downstream steps decide by their trigger rules. */
    SKIP,
    /** The step completes as approved, by policy (the output says {@code "byPolicy": true}). */
    APPROVE
  }
}
