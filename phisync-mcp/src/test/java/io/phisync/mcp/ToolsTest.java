package io.phisync.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.UnknownAgentException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The tools in-process: registration, argument checks and the error contract. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ToolsTest {
  @TempDir Path root;

  @Test
  void server_forAnUnknownAgent_isRefusedWithTheWayToCreateIt() {
    try (PhiSync phi = PhiSync.open(root)) {
      assertThatThrownBy(() -> PhiSyncMcpServer.of(phi, AgentName.of("dc")))
          .isInstanceOf(UnknownAgentException.class)
          .hasMessageContaining("phisync init --agents dc");
    }
  }

  @Test
  void toolNames_areUniqueAndPrefixed() {
    try (PhiSync phi = PhiSync.open(root)) {
      phi.init(List.of(AgentName.of("dc")));
      List<String> names = PhiSyncMcpServer.of(phi, AgentName.of("dc")).toolNames();
      assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("phisync_[a-z_]+"));
    }
  }

  @Test
  void everySchemaProperty_isDescribed_andNoOthersAreAccepted() {
    try (PhiSync phi = PhiSync.open(root)) {
      phi.init(List.of(AgentName.of("dc")));
      for (ToolGroup group : ToolGroups.all(new ToolContext(phi, AgentName.of("dc")))) {
        for (Tool tool : group.tools()) {
          Map<String, Object> schema = tool.input().asMap();
          assertThat(schema).containsEntry("additionalProperties", false);
          assertThat(tool.description()).contains("Returns");
        }
      }
    }
  }

  @Test
  void workflowStart_byDefaultExecutesTheRunInThisProcess_andWaitSeesItEnd(@TempDir Path home)
      throws InterruptedException {
    AgentName webc = AgentName.of("webc");
    try (PhiSync phi = PhiSync.builder(root).approverHome(home).open()) {
      phi.init(List.of(AgentName.of("dc"), webc));
      Map<String, Tool> byName = new java.util.HashMap<>();
      ToolGroups.all(new ToolContext(phi, AgentName.of("dc")))
          .forEach(g -> g.tools().forEach(t -> byName.put(t.name(), t)));

      JsonNode started =
          ok(
              byName.get("phisync_workflow_start"),
              Map.of(
                  "definition",
                  "name: one\nsteps:\n  - id: a\n    task: {agent: webc, command: echo}\n"
                      + "output: {n: \"${steps.a.output.n}\"}\n"));
      assertThat(started.at("/executor/kind").asString()).isEqualTo("server");
      String runId = started.get("runId").asString();
      io.phisync.spi.Claim claim =
          phi.bus().receive(webc, java.time.Duration.ofSeconds(30)).orElseThrow();
      phi.bus().reply(claim, Json.object().put("n", 7));

      JsonNode ended =
          ok(byName.get("phisync_workflow_wait"), Map.of("runId", runId, "waitSeconds", 30));
      assertThat(ended.get("ended").asBoolean()).isTrue();
      assertThat(ended.at("/run/status").asString()).isEqualTo("completed");
      assertThat(ended.at("/run/output/n").asInt()).isEqualTo(7);
    }
  }

  private static JsonNode ok(@Nullable Tool tool, Map<String, Object> arguments) {
    CallToolResult result = ToolCalls.call(java.util.Objects.requireNonNull(tool), arguments);
    String text = ((TextContent) result.content().get(0)).text();
    assertThat(result.isError()).as(text).isFalse();
    return Json.parse(text);
  }

  @Test
  void args_sayWhatWasWrongAndWhatToPass() {
    Args args = new Args(Map.of("to", "Bad Name", "wait", 99, "payload", "[1]", "n", 1.5));

    assertThatThrownBy(() -> args.agent("to")).hasMessageContaining("a lowercase letter first");
    assertThatThrownBy(() -> args.string("missing")).hasMessageContaining("'missing' is required");
    assertThatThrownBy(() -> args.seconds("wait", 0, 45, 0))
        .hasMessageContaining("between 0 and 45");
    assertThatThrownBy(() -> args.seconds("n", 0, 45, 0)).hasMessageContaining("whole number");
    assertThatThrownBy(() -> args.object("payload")).hasMessageContaining("must be a JSON object");
    assertThat(new Args(Map.of("payload", "{\"a\":1}")).object("payload"))
        .isEqualTo(Json.object().put("a", 1));
    Args more = new Args(Map.of("rev", 3, "yes", true, "no", "x"));
    assertThat(more.integer("rev", 0, 10)).isEqualTo(3L);
    assertThat(more.integer("absent", 0, 10)).isNull();
    assertThat(more.flag("yes", false)).isTrue();
    assertThatThrownBy(() -> more.flag("no", false)).hasMessageContaining("true or false");
    assertThatThrownBy(() -> more.requiredObject("absent")).hasMessageContaining("is required");
  }

  @Test
  void args_listsAndAnyJsonValues() {
    Args args =
        new Args(Map.of("topics", List.of("a", "b"), "one", "c", "bad", List.of(1), "v", "text"));
    assertThat(args.strings("topics")).containsExactly("a", "b");
    assertThat(args.strings("one")).containsExactly("c");
    assertThat(args.strings("absent")).isEmpty();
    assertThatThrownBy(() -> args.strings("bad")).hasMessageContaining("list of strings");
    assertThat(args.requiredValue("v").asString()).isEqualTo("text");
    assertThat(new Args(Map.of("v", List.of(1, 2))).requiredValue("v").size()).isEqualTo(2);
    assertThatThrownBy(() -> args.requiredValue("absent")).hasMessageContaining("is required");
  }

  @Test
  void call_turnsDomainErrorsIntoToolErrors_andFaultsIntoProtocolErrors() {
    Tool failing =
        new Tool(
            "phisync_x",
            "x",
            InputSchema.object(),
            true,
            a -> {
              throw new ToolError("do this next");
            });
    CallToolResult result = ToolCalls.call(failing, Map.of());
    assertThat(result.isError()).isTrue();
    assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("do this next");

    Tool broken =
        new Tool(
            "phisync_y",
            "y",
            InputSchema.object(),
            true,
            a -> {
              throw new IllegalStateException("disk on fire");
            });
    assertThatThrownBy(() -> ToolCalls.call(broken, Map.of()))
        .isInstanceOf(io.modelcontextprotocol.spec.McpError.class)
        .hasMessageContaining("disk on fire");
  }
}
