package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Json;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowGraphTest {

  @Test
  void mermaid_drawsStepsSubgraphsAndEdges() {
    WorkflowDefinition release =
        WorkflowLoader.load(WorkflowLoaderTest.FIXTURES.resolve("release.yaml"));
    String graph = WorkflowGraph.mermaid(release);
    assertThat(graph)
        .startsWith("flowchart TD\n")
        .contains("s_research[\"research<br/>task: webc/research\"]")
        .contains("s_research --> s_build")
        .contains("subgraph s_checks[\"checks (parallel, merge object)\"]")
        .contains("s_lint --> s_unit")
        .contains("s_package --> s_sign")
        .contains("analyze<br/>scatter: cmdc/analyze_chunk, merge sum")
        .contains("approve<br/>approval: stryk")
        .contains("child<br/>workflow: child")
        .doesNotContain("classDef");
  }

  @Test
  void mermaid_colorsStepsByTheirRunState() {
    WorkflowDefinition def =
        Workflow.builder("w")
            .task("a", "x", "c", null)
            .task("b", "x", "c", null, s -> s.dependsOn("a"))
            .build();
    RunView run =
        new RunView(
            "run-1",
            "w",
            RunStatus.RUNNING,
            Json.object(),
            null,
            null,
            Instant.EPOCH,
            null,
            null,
            List.of(
                new RunView.StepView(
                    "a", "task", null, StepStatus.COMPLETED, 1, null, null, null, null),
                new RunView.StepView(
                    "b", "task", null, StepStatus.UP_FOR_RETRY, 2, null, null, null, null)),
            List.of(),
            List.of(),
            3);
    assertThat(WorkflowGraph.mermaid(def, run))
        .contains("classDef completed fill:")
        .contains("classDef up_for_retry fill:")
        .contains("class s_a completed")
        .contains("class s_b up_for_retry");
  }
}
