package io.phisync.workflow;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Short ways to build definitions in tests. */
@SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
final class Steps {
  private Steps() {}

  static StepBody.Task call(String agent, String command, @Nullable JsonNode payload) {
    return new StepBody.Task(AgentName.of(agent), command, payload);
  }

  static Step step(String id, StepBody body, String... dependsOn) {
    return new Step(id, List.of(dependsOn), TriggerRule.ALL_SUCCESS, null, null, null, null, body);
  }

  static Step task(String id, String agent, String command, String... dependsOn) {
    return step(id, call(agent, command, Json.object().put("step", id)), dependsOn);
  }

  static Step with(Step s, TriggerRule trigger) {
    return new Step(
        s.id(),
        s.dependsOn(),
        trigger,
        s.when(),
        s.retry(),
        s.timeouts(),
        s.compensate(),
        s.body());
  }

  static Step when(Step s, String when) {
    return new Step(
        s.id(),
        s.dependsOn(),
        s.trigger(),
        when,
        s.retry(),
        s.timeouts(),
        s.compensate(),
        s.body());
  }

  static Step retry(Step s, Retry retry) {
    return new Step(
        s.id(),
        s.dependsOn(),
        s.trigger(),
        s.when(),
        retry,
        s.timeouts(),
        s.compensate(),
        s.body());
  }

  static Step timeouts(Step s, Timeouts timeouts) {
    return new Step(
        s.id(),
        s.dependsOn(),
        s.trigger(),
        s.when(),
        s.retry(),
        timeouts,
        s.compensate(),
        s.body());
  }

  static Step compensate(Step s, StepBody.Task compensate) {
    return new Step(
        s.id(),
        s.dependsOn(),
        s.trigger(),
        s.when(),
        s.retry(),
        s.timeouts(),
        compensate,
        s.body());
  }

  static Retry attempts(int n, Duration initial) {
    return new Retry(initial, 2.0, Duration.ofMinutes(10), n, List.of(), 0.0);
  }

  static WorkflowDefinition workflow(String name, Step... steps) {
    return new WorkflowDefinition(
        name,
        "",
        List.of(steps),
        null,
        null,
        new WorkflowDefinition.StepDefaults(Retry.NONE, Timeouts.NONE));
  }

  static WorkflowDefinition workflowWith(
      String name, @Nullable Step onFailure, @Nullable JsonNode output, Step... steps) {
    return new WorkflowDefinition(
        name,
        "",
        List.of(steps),
        onFailure,
        output,
        new WorkflowDefinition.StepDefaults(Retry.NONE, Timeouts.NONE));
  }
}
