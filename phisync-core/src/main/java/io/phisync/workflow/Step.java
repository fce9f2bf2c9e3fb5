package io.phisync.workflow;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step of a workflow. What it does is its {@link StepBody}; when it runs is decided by its
 * upstream steps ({@code dependsOn}), its trigger rule and its {@code when} condition.
 *
 * @param id unique within the whole definition (nested steps included), case-insensitively; {@code
 *     [A-Za-z][A-Za-z0-9_]{0,47}}; templates refer to it as {@code steps.<id>}
 * @param dependsOn ids of steps in the same block that must be done first
 * @param trigger when the step runs, given the states of its upstream steps
 * @param when a CEL condition; false makes the step SKIPPED (null: always)
 * @param retry the retry policy, or null for the definition's default
 * @param timeouts the timeouts, or null for the definition's default
 * @param compensate what undoes this step's effect, registered once it completed, or null
 * @param body what the step does
 */
public record Step(
    String id,
    List<String> dependsOn,
    TriggerRule trigger,
    @Nullable String when,
    @Nullable Retry retry,
    @Nullable Timeouts timeouts,
    StepBody.@Nullable Task compensate,
    StepBody body) {

  public Step {
    Objects.requireNonNull(id, "id");
    dependsOn = List.copyOf(dependsOn);
    trigger = trigger == null ? TriggerRule.ALL_SUCCESS : trigger;
    Objects.requireNonNull(body, "body");
  }

  /** The kind of this step, as definitions spell it. */
  public String kind() {
    return body.kind();
  }
}
