package io.phisync.workflow;

import static io.phisync.workflow.EngineFixture.CMDC;
import static io.phisync.workflow.EngineFixture.DC;
import static io.phisync.workflow.Steps.call;
import static io.phisync.workflow.Steps.step;
import static io.phisync.workflow.Steps.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scatter's {@code partitions} given by a template ({@code "${input.chunks}"}): loaded, checked,
 * journaled and executed; and {@link Workflows#definition} reading a run's definition back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScatterPartitionsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path root;
  private EngineFixture f;
  private DefaultWorkflows engine;

  @BeforeEach
  void open() {
    f = new EngineFixture(root);
    engine = f.engine();
    f.agent(
        CMDC,
        Map.of(
            "count",
            d -> {
              int sum = 0;
              for (JsonNode n : d.payload().path("items")) {
                sum += n.asInt();
              }
              return Json.object().put("total", sum).put("chunks", 1);
            }));
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static WorkflowDefinition scatter(String partitions) {
    return workflow(
        "scat",
        step(
            "analyze",
            new StepBody.Scatter(
                "input.items",
                0,
                0,
                2,
                call("cmdc", "count", Json.object().put("items", "${chunk.items}")),
                Merge.SUM,
                partitions)));
  }

  private static ObjectNode input(int n) {
    ArrayNode items = Json.mapper().createArrayNode();
    for (int i = 1; i <= n; i++) {
      items.add(i);
    }
    ObjectNode input = Json.object();
    input.set("items", items);
    return input;
  }

  private RunView run(WorkflowDefinition definition, JsonNode input) throws Exception {
    return engine.start(definition, input, RunOptions.as(DC)).await(WAIT).orElseThrow();
  }

  private List<JsonNode> journal(String runId) {
    return f.phi.transport().log(LogKind.WORKFLOWS).from(StateKey.of(runId), 1).stream()
        .map(Revision::record)
        .flatMap(r -> Journal.events(r).stream())
        .toList();
  }

  @Test
  void partitionsFromTheInput_cutTheItemsIntoThatManyChunks() throws Exception {
    RunView view = run(scatter("${input.chunks}"), input(100).put("chunks", 5));

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    JsonNode output = java.util.Objects.requireNonNull(view.step("analyze").orElseThrow().output());
    assertThat(output.path("total").asInt()).isEqualTo(5050);
    assertThat(output.path("chunks").asInt()).isEqualTo(5);
    assertThat(view.steps()).filteredOn(s -> "analyze".equals(s.parent())).hasSize(5);
    assertThat(journal(view.runId()))
        .filteredOn(e -> e.path("type").asString().equals("ScatterPlanned"))
        .singleElement()
        .satisfies(e -> assertThat(e.path("chunks").asInt()).isEqualTo(5));
  }

  @Test
  void partitionsTemplateWithADefault_andANumericString_areWholeNumbers() throws Exception {
    WorkflowDefinition def = scatter("${has(input.chunks) ? input.chunks : 3}");
    RunView defaulted = run(def, input(10));
    assertThat(defaulted.steps()).filteredOn(s -> "analyze".equals(s.parent())).hasSize(3);

    RunView text = run(scatter("${input.n}"), input(10).put("n", "4"));
    assertThat(text.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(text.steps()).filteredOn(s -> "analyze".equals(s.parent())).hasSize(4);
  }

  @Test
  void partitionsThatAreNotAWholeNumberAboveZero_failTheStepWithATemplateError() throws Exception {
    for (JsonNode bad :
        List.<JsonNode>of(Json.mapper().valueToTree(0), Json.mapper().valueToTree("many"))) {
      ObjectNode input = input(10);
      input.set("chunks", bad);
      RunView view = run(scatter("${input.chunks}"), input);

      assertThat(view.status()).isEqualTo(RunStatus.FAILED);
      assertThat(view.step("analyze").orElseThrow().error()).contains("partitions");
      assertThat(journal(view.runId()))
          .filteredOn(e -> e.path("type").asString().equals("StepFailed"))
          .last()
          .satisfies(e -> assertThat(e.path("errorType").asString()).isEqualTo("TemplateError"));
    }
  }

  @Test
  void theLoaderReadsATemplate_theCodecRoundTripsIt_andTheValidatorChecksItsReferences() {
    String yaml =
        """
        name: logs
        steps:
          - id: fetch
            task: {agent: cmdc, command: fetch}
          - id: analyze
            dependsOn: [fetch]
            scatter:
              items: steps.fetch.output.lines
              partitions: "${has(input.chunks) ? input.chunks : steps.fetch.output.n}"
              merge: sum
              task: {agent: cmdc, command: count, payload: {items: "${chunk.items}"}}
        """;
    WorkflowDefinition def =
        WorkflowCodec.decode(
            WorkflowLoader.parse("logs.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    WorkflowValidator.validate(def);
    StepBody.Scatter scatter = (StepBody.Scatter) def.steps().get(1).body();
    assertThat(scatter.partitionsTemplate()).startsWith("${has(");
    assertThat(scatter.partitions()).isZero();
    assertThat(WorkflowCodec.encode(def).at("/steps/1/scatter/partitions").asString())
        .isEqualTo(scatter.partitionsTemplate());
    assertThat(WorkflowCodec.decode(WorkflowCodec.encode(def))).isEqualTo(def);

    // A string without ${...}: the loader refuses it, naming the step.
    assertThatThrownBy(
            () ->
                WorkflowCodec.decode(
                    WorkflowLoader.parse(
                        "x.yaml",
                        yaml.replace(
                                "\"${has(input.chunks) ? input.chunks : steps.fetch.output.n}\"",
                                "\"8\"")
                            .getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("analyze")
        .hasMessageContaining("a ${...} template");

    // A template naming a step that is not upstream, or one that does not compile.
    WorkflowDefinition notUpstream = scatter("${steps.later.output.n}");
    assertThatThrownBy(() -> WorkflowValidator.validate(notUpstream))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("partitions")
        .hasMessageContaining("unknown step 'later'");
    assertThatThrownBy(() -> WorkflowValidator.validate(scatter("${input.(}")))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("partitions");
    // A template and a chunk size: exactly one of them.
    WorkflowDefinition both =
        workflow(
            "both",
            step(
                "s",
                new StepBody.Scatter(
                    "input.items",
                    0,
                    10,
                    0,
                    call("cmdc", "count", null),
                    Merge.SUM,
                    "${input.chunks}")));
    assertThatThrownBy(() -> WorkflowValidator.validate(both))
        .hasMessageContaining("exactly one of partitions and chunkSize");
  }

  @Test
  void definitionOfARun_isTheDefinitionItsJournalHolds() throws Exception {
    WorkflowDefinition def = scatter("${input.chunks}");
    String runId = engine.create(def, input(4).put("chunks", 2), RunOptions.as(DC));

    assertThat(engine.definition(runId)).contains(def);
    assertThat(engine.definition("run-00000000000000000000000000")).isEmpty();
    assertThatThrownBy(() -> engine.definition("../etc"))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("is not a run id");
  }
}
