package io.phisync.workflow;

import io.phisync.protocol.AgentName;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Builds definitions in Java; {@link Builder#build()} validates like a loaded file.
 *
 * <pre>{@code
 * WorkflowDefinition release =
 *     Workflow.builder("release")
 *         .task("research", "webc", "research", Json.parse("{\"topic\": \"${input.feature}\"}"))
 *         .task("build", "vssc", "implement", null, s -> s.dependsOn("research").retry(Retry.NONE))
 *         .step(Workflow.step("wait", new StepBody.Wait(Duration.ofSeconds(30), null))
 *             .dependsOn("build"))
 *         .build();
 * }</pre>
 */
public final class Workflow {
  private Workflow() {}

  /** A new definition named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A step of any kind, to configure and add with {@link Builder#step(StepBuilder)}. */
  public static StepBuilder step(String id, StepBody body) {
    return new StepBuilder(id, body);
  }

  /** A task body: {@code command} to {@code agent} with a payload template (or null). */
  public static StepBody.Task task(String agent, String command, @Nullable JsonNode payload) {
    return new StepBody.Task(AgentName.of(agent), command, payload);
  }

  /** Builds one definition; not thread-safe. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private final List<Step> steps = new ArrayList<>();
    private @Nullable Step onFailure;
    private @Nullable JsonNode output;
    private WorkflowDefinition.StepDefaults defaults = WorkflowDefinition.StepDefaults.NONE;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder description(String value) {
      description = value;
      return this;
    }

    /** The retry policy and timeouts of steps that declare none. */
    public Builder defaults(Retry retry, Timeouts timeouts) {
      defaults = new WorkflowDefinition.StepDefaults(retry, timeouts);
      return this;
    }

    /** Adds a task step. */
    public Builder task(String id, String agent, String command, @Nullable JsonNode payload) {
      return step(Workflow.step(id, Workflow.task(agent, command, payload)));
    }

    /** Adds a task step configured by {@code options} (dependsOn, retry, ...). */
    public Builder task(
        String id,
        String agent,
        String command,
        @Nullable JsonNode payload,
        Consumer<StepBuilder> options) {
      StepBuilder step = Workflow.step(id, Workflow.task(agent, command, payload));
      options.accept(step);
      return step(step);
    }

    /** Adds a step. */
    public Builder step(StepBuilder step) {
      steps.add(step.build());
      return this;
    }

    /** Adds a step. */
    public Builder step(Step step) {
      steps.add(step);
      return this;
    }

    /** The step run when the run fails, after compensation. */
    public Builder onFailure(StepBuilder step) {
      onFailure = step.build();
      return this;
    }

    /** The template of the run's output. */
    public Builder output(JsonNode template) {
      output = template;
      return this;
    }

    /**
     * The definition.
     *
     * @throws WorkflowValidationException listing every problem
     */
    public WorkflowDefinition build() {
      WorkflowDefinition definition =
          new WorkflowDefinition(name, description, steps, onFailure, output, defaults);
      WorkflowValidator.validate(definition);
      return definition;
    }
  }

  /** One step's options. */
  public static final class StepBuilder {
    private final String id;
    private final StepBody body;
    private final List<String> dependsOn = new ArrayList<>();
    private TriggerRule trigger = TriggerRule.ALL_SUCCESS;
    private @Nullable String when;
    private @Nullable Retry retry;
    private @Nullable Timeouts timeouts;
    private StepBody.@Nullable Task compensate;

    private StepBuilder(String id, StepBody body) {
      this.id = Objects.requireNonNull(id, "id");
      this.body = Objects.requireNonNull(body, "body");
    }

    public StepBuilder dependsOn(String... ids) {
      dependsOn.addAll(List.of(ids));
      return this;
    }

    public StepBuilder trigger(TriggerRule value) {
      trigger = value;
      return this;
    }

    /** A CEL condition; false skips the step. */
    public StepBuilder when(String condition) {
      when = condition;
      return this;
    }

    public StepBuilder retry(Retry value) {
      retry = value;
      return this;
    }

    public StepBuilder timeouts(Timeouts value) {
      timeouts = value;
      return this;
    }

    /** What undoes this step once it completed. */
    public StepBuilder compensate(String agent, String command, @Nullable JsonNode payload) {
      compensate = Workflow.task(agent, command, payload);
      return this;
    }

    Step build() {
      return new Step(id, dependsOn, trigger, when, retry, timeouts, compensate, body);
    }
  }
}
