package io.phisync.workflow;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A workflow: named steps forming a DAG, validated before anything runs.
 *
 * @param name the workflow's name, {@code [a-z][a-z0-9_-]{0,63}}
 * @param description what it does, for people; may be empty
 * @param steps the top-level steps; a step without {@code dependsOn} is ready at once
 * @param onFailure a step run after compensation when the run fails (its templates see {@code
 *     error}), or null
 * @param output a template for the run's output (null: the outputs of the steps without downstream
 *     steps, by id)
 * @param defaults the retry policy and timeouts a step gets when it declares none
 */
public record WorkflowDefinition(
    String name,
    String description,
    List<Step> steps,
    @Nullable Step onFailure,
    @Nullable JsonNode output,
    StepDefaults defaults) {

  public WorkflowDefinition {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    steps = List.copyOf(steps);
    defaults = defaults == null ? StepDefaults.NONE : defaults;
  }

  /**
   * Defaults for the steps of one definition.
   *
   * @param retry the retry policy of a step that declares none
   * @param timeouts the timeouts of a step that declares none
   */
  public record StepDefaults(Retry retry, Timeouts timeouts) {
    /** The built-in defaults: {@link Retry#DEFAULT} and no timeouts. */
    public static final StepDefaults NONE = new StepDefaults(Retry.DEFAULT, Timeouts.NONE);
  }
}
