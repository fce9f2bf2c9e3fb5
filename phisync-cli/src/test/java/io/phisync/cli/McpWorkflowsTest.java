package io.phisync.cli;

import static io.phisync.cli.McpServers.call;
import static io.phisync.cli.McpServers.json;
import static io.phisync.cli.McpServers.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.workflow.RunView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The workflow tools of {@code phisync mcp}: real server processes for dc and webc, driven by the
 * MCP SDK's client. A run started through the tool executes in a detached {@code phisync workflow
 * resume} process; webc's assistant answers its task through its own server; a human approves with
 * the CLI and an approver key in a temporary PHISYNC_HOME.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class McpWorkflowsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  @TempDir Path root;
  @TempDir Path home;

  private final StringBuffer stderr = new StringBuffer();
  private final List<McpSyncClient> clients = new ArrayList<>();
  private PhiSync phi;
  private McpSyncClient dc;

  @BeforeEach
  void start() {
    phi = PhiSync.builder(root).approverHome(home).open();
    phi.init(List.of(AgentName.of("dc"), AgentName.of("webc")));
    Cli.Result approver =
        Cli.run(
            "--root",
            root.toString(),
            "approver",
            "init",
            "--name",
            "stryk",
            "--home",
            home.toString());
    assertThat(approver.exitCode()).as(approver.err()).isZero();
    dc = server("dc");
  }

  @AfterEach
  void stop() {
    // A run still going is canceled, so its background process ends.
    for (RunView run : phi.workflows().list()) {
      if (!run.status().isDone()) {
        phi.workflows().cancel(run.runId(), "test over");
      }
    }
    clients.forEach(McpSyncClient::closeGracefully);
    phi.close();
  }

  private McpSyncClient server(String agent) {
    McpSyncClient client =
        McpServers.start(root, agent, stderr, Map.of("PHISYNC_HOME", home.toString()));
    clients.add(client);
    return client;
  }

  @Test
  void startedThroughTheTool_theRunCompletesWithWebcAnswering_statusAndWaitFollowIt()
      throws IOException {
    McpSyncClient webc = server("webc");
    Files.createDirectories(root.resolve("workflows"));
    Files.writeString(
        root.resolve("workflows/research.yaml"),
        """
        name: research
        steps:
          - id: ask
            task:
              agent: webc
              command: research
              payload: {topic: "${input.topic}"}
        output: {summary: "${steps.ask.output.summary}"}
        """);

    JsonNode started =
        json(
            call(
                dc,
                "phisync_workflow_start",
                Map.of(
                    "definitionFile",
                    "workflows/research.yaml",
                    "input",
                    Map.of("topic", "OAuth2"))));
    String runId = started.get("runId").asString();
    assertThat(started.get("workflow").asString()).isEqualTo("research");
    assertThat(started.at("/executor/kind").asString()).isEqualTo("process");
    assertThat(started.at("/executor/pid").asLong()).isPositive();
    assertThat(started.get("next").asString()).contains("phisync_workflow_wait").contains(runId);
    assertThat(root.resolve("shared/workflows/" + runId + ".journal")).isDirectory();

    JsonNode status = json(call(dc, "phisync_workflow_status", Map.of("runId", runId)));
    assertThat(status.get("runId").asString()).isEqualTo(runId);
    assertThat(status.get("status").asString()).isEqualTo("running");
    assertThat(status.at("/steps/0/id").asString()).isEqualTo("ask");
    assertThat(status.at("/steps/0/kind").asString()).isEqualTo("task");

    // webc's assistant takes the run's request (once the background process sent it) and answers.
    JsonNode received = receive(webc);
    assertThat(received.at("/message/from").asString()).isEqualTo("dc");
    assertThat(received.at("/message/command").asString()).isEqualTo("research");
    assertThat(received.at("/message/payload/topic").asString()).isEqualTo("OAuth2");
    json(
        call(
            webc,
            "phisync_reply",
            Map.of(
                "id", received.at("/message/id").asString(),
                "claimToken", received.get("claimToken").asString(),
                "payload", Map.of("summary", "use PKCE"))));

    JsonNode ended = waitForEnd(runId);
    assertThat(ended.at("/run/status").asString()).isEqualTo("completed");
    assertThat(ended.at("/run/output/summary").asString()).isEqualTo("use PKCE");
    assertThat(ended.at("/run/steps/0/status").asString()).isEqualTo("completed");
    assertThat(ended.at("/run/steps/0/attempt").asInt()).isEqualTo(1);
    // The view file follows the journal (the truth) a moment after the run's last entry.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(
                        Json.parse(
                                Files.readString(
                                    root.resolve("shared/workflows/" + runId + ".json")))
                            .get("status")
                            .asString())
                    .isEqualTo("completed"));

    JsonNode withOutputs =
        json(call(dc, "phisync_workflow_status", Map.of("runId", runId, "stepOutputs", true)));
    assertThat(withOutputs.at("/steps/0/output/summary").asString()).isEqualTo("use PKCE");

    JsonNode listed = json(call(dc, "phisync_workflow_list", Map.of("status", "completed")));
    assertThat(listed.get("count").asInt()).isEqualTo(1);
    assertThat(listed.at("/runs/0/runId").asString()).isEqualTo(runId);
    assertThat(listed.at("/runs/0/workflow").asString()).isEqualTo("research");
    assertThat(
            json(call(dc, "phisync_workflow_list", Map.of("status", "running")))
                .get("count")
                .asInt())
        .isZero();
  }

  @Test
  void aRunAtAnApprovalGate_isListedPending_untilTheHumanApprovesWithTheCli() {
    // Inline YAML text, and no approve or reject tool: the decision is the human's.
    List<String> tools = dc.listTools().tools().stream().map(Tool::name).toList();
    assertThat(tools).noneMatch(t -> t.contains("approve") && !t.contains("approvals_pending"));
    assertThat(tools).noneMatch(t -> t.contains("reject"));

    JsonNode started =
        json(
            call(
                dc,
                "phisync_workflow_start",
                Map.of(
                    "definition",
                    """
                    name: gated
                    steps:
                      - id: gate
                        approval:
                          approvers: [stryk]
                          message: "Deploy ${input.version}?"
                          context: "${input}"
                          timeout: 10m
                    """,
                    "input",
                    Map.of("version", "1.2"))));
    String runId = started.get("runId").asString();

    JsonNode pending =
        await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> json(call(dc, "phisync_approvals_pending", Map.of("runId", runId))),
                p -> p.get("count").asInt() == 1);
    JsonNode request = pending.at("/pending/0");
    assertThat(request.get("step").asString()).isEqualTo("gate");
    assertThat(request.get("workflow").asString()).isEqualTo("gated");
    assertThat(request.get("message").asString()).isEqualTo("Deploy 1.2?");
    assertThat(request.at("/context/version").asString()).isEqualTo("1.2");
    assertThat(request.get("requestedBy").asString()).isEqualTo("dc");
    assertThat(request.get("expiresAt").asString()).isNotBlank();
    assertThat(request.at("/approvers/0").asString()).isEqualTo("stryk");
    assertThat(pending.get("next").asString()).contains("phisync approve " + runId + " gate");
    assertThat(root.resolve("shared/approvals/" + runId + "/gate.request.json")).exists();

    JsonNode waiting =
        json(call(dc, "phisync_workflow_wait", Map.of("runId", runId, "waitSeconds", 1)));
    assertThat(waiting.get("ended").asBoolean()).isFalse();
    assertThat(waiting.at("/run/waitingApproval/0").asString()).isEqualTo("gate");
    assertThat(waiting.at("/run/steps/0/status").asString()).isEqualTo("waiting-approval");
    assertThat(waiting.at("/run/next").asString())
        .contains("phisync approve " + runId + " gate")
        .contains("cannot approve");

    Cli.Result approve =
        Cli.run("--root", root.toString(), "approve", runId, "gate", "--home", home.toString());
    assertThat(approve.exitCode()).as(approve.err()).isZero();

    JsonNode ended = waitForEnd(runId);
    assertThat(ended.at("/run/status").asString()).isEqualTo("completed");
    assertThat(ended.at("/run/steps/0/status").asString()).isEqualTo("completed");
    JsonNode none = json(call(dc, "phisync_approvals_pending", Map.of()));
    assertThat(none.get("count").asInt()).isZero();
    assertThat(none.get("next").asString()).contains("nothing");
  }

  @Test
  void domainErrors_areToolErrorsThatSayWhatToDoNext() throws IOException {
    CallToolResult invalid =
        call(
            dc,
            "phisync_workflow_start",
            Map.of(
                "definition",
                "{\"name\": \"broken\", \"steps\": [{\"id\": \"a\", \"dependsOn\": [\"nope\"],"
                    + " \"task\": {\"agent\": \"webc\", \"command\": \"x\"}}, {\"id\": \"a\","
                    + " \"task\": {\"agent\": \"webc\", \"command\": \"y\"}}]}"));
    assertThat(invalid.isError()).isTrue();
    assertThat(text(invalid))
        .contains("problem(s)")
        .contains("nope")
        .contains("'a'")
        .contains("phisync_workflow_start again");
    assertThat(text(invalid).lines().filter(l -> l.startsWith("- ")).count()).isGreaterThan(1);

    CallToolResult unknownAgent =
        call(
            dc,
            "phisync_workflow_start",
            Map.of(
                "definition",
                Map.of(
                    "name",
                    "lost",
                    "steps",
                    List.of(Map.of("id", "a", "task", Map.of("agent", "ghost", "command", "x"))))));
    assertThat(unknownAgent.isError()).isTrue();
    assertThat(text(unknownAgent)).contains("ghost").contains("phisync_status");

    CallToolResult neither = call(dc, "phisync_workflow_start", Map.of());
    assertThat(neither.isError()).isTrue();
    assertThat(text(neither)).contains("definitionFile").contains("definition");

    Path outside = Files.writeString(home.resolve("x.yaml"), "name: x\nsteps: []\n");
    CallToolResult escape =
        call(dc, "phisync_workflow_start", Map.of("definitionFile", outside.toString()));
    assertThat(escape.isError()).isTrue();
    assertThat(text(escape)).contains("outside the PhiSync root");
    CallToolResult missing =
        call(dc, "phisync_workflow_start", Map.of("definitionFile", "workflows/none.yaml"));
    assertThat(missing.isError()).isTrue();
    assertThat(text(missing)).contains("no file");

    String absent = "run-00000000000000000000000000";
    CallToolResult unknownRun = call(dc, "phisync_workflow_status", Map.of("runId", absent));
    assertThat(unknownRun.isError()).isTrue();
    assertThat(text(unknownRun)).contains(absent).contains("phisync_workflow_list");
    CallToolResult notARun = call(dc, "phisync_workflow_wait", Map.of("runId", "../etc"));
    assertThat(notARun.isError()).isTrue();
    assertThat(text(notARun)).contains("not a run id");
    CallToolResult tooLong =
        call(dc, "phisync_workflow_wait", Map.of("runId", absent, "waitSeconds", 46));
    assertThat(tooLong.isError()).isTrue();

    // Nothing was journaled by any of them.
    assertThat(json(call(dc, "phisync_workflow_list", Map.of())).get("count").asInt()).isZero();
    assertThat(stderr.toString()).doesNotContain("Exception");
  }

  /** webc's next message, waiting for it across calls of at most 45 s. */
  private static JsonNode receive(McpSyncClient webc) {
    return await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> json(call(webc, "phisync_receive", Map.of("waitSeconds", 20))),
            got -> got.path("message").isObject());
  }

  /** The run's end, waiting for it across calls of at most 45 s. */
  private JsonNode waitForEnd(String runId) {
    return await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                json(call(dc, "phisync_workflow_wait", Map.of("runId", runId, "waitSeconds", 20))),
            got -> got.get("ended").asBoolean());
  }
}
