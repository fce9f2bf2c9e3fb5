package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.protocol.Json;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowBuilderTest {

  @Test
  void build_givesTheSameRecordsAsAFile() {
    WorkflowDefinition built =
        Workflow.builder("release")
            .task("research", "webc", "research", Json.parse("{\"topic\": \"${input.feature}\"}"))
            .task(
                "build",
                "vssc",
                "implement",
                Json.parse("{\"r\": \"${steps.research.output}\"}"),
                s -> s.dependsOn("research").compensate("vssc", "revert", null))
            .step(
                Workflow.step("cooldown", new StepBody.Wait(Duration.ofSeconds(30), null))
                    .dependsOn("build")
                    .trigger(TriggerRule.ALL_DONE))
            .build();
    WorkflowDefinition read =
        WorkflowCodec.decode(
            Json.parse(
                """
                {"name": "release", "steps": [
                  {"id": "research", "task": {"agent": "webc", "command": "research",
                   "payload": {"topic": "${input.feature}"}}},
                  {"id": "build", "dependsOn": ["research"], "task": {"agent": "vssc",
                   "command": "implement", "payload": {"r": "${steps.research.output}"}},
                   "compensate": {"agent": "vssc", "command": "revert"}},
                  {"id": "cooldown", "dependsOn": ["build"], "trigger": "all_done",
                   "wait": {"duration": "30s"}}]}
                """));
    assertThat(built).isEqualTo(read);
  }

  @Test
  void build_validates() {
    assertThatThrownBy(
            () ->
                Workflow.builder("w")
                    .task("a", "x", "c", null, s -> s.dependsOn("b"))
                    .task("b", "x", "c", null, s -> s.dependsOn("a"))
                    .build())
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("dependency cycle: a -> b -> a");
  }
}
