package io.phisync.cli;

import static io.phisync.cli.McpServers.call;
import static io.phisync.cli.McpServers.json;
import static io.phisync.cli.McpServers.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.spi.Claim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code phisync mcp} as a real subprocess, driven by the MCP SDK's client: every tool, on disk.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class McpCommandTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");
  private static final List<String> TOOLS =
      List.of(
          "phisync_send",
          "phisync_request",
          "phisync_wait_response",
          "phisync_inbox",
          "phisync_receive",
          "phisync_reply",
          "phisync_ack",
          "phisync_nack",
          "phisync_publish",
          "phisync_read_events",
          "phisync_wait_event",
          "phisync_state_get",
          "phisync_state_put",
          "phisync_state_cas",
          "phisync_lock_acquire",
          "phisync_lock_release",
          "phisync_lock_status",
          "phisync_crdt_get",
          "phisync_crdt_update",
          "phisync_workflow_start",
          "phisync_workflow_status",
          "phisync_workflow_wait",
          "phisync_workflow_list",
          "phisync_approvals_pending",
          "phisync_status",
          "phisync_dead_letters");

  @TempDir Path root;
  private final StringBuffer stderr = new StringBuffer();
  private PhiSync phi;
  private McpSyncClient dc;

  @BeforeEach
  void start() {
    phi = PhiSync.open(root);
    phi.init(List.of(DC, WEBC));
    dc = McpServers.start(root, "dc", stderr);
  }

  @AfterEach
  void stop() {
    dc.closeGracefully();
    phi.close();
  }

  @Test
  void initialize_namesTheServerAndTellsTheModelWhoItIs() {
    assertThat(dc.getServerInfo().name()).isEqualTo("phisync");
    assertThat(dc.getServerInstructions()).contains("'dc'");
    assertThat(dc.getServerCapabilities().tools()).isNotNull();
  }

  @Test
  void toolsList_everyToolHasADescriptionAndADescribedSchema() {
    List<Tool> tools = dc.listTools().tools();
    assertThat(tools).extracting(Tool::name).containsExactlyElementsOf(TOOLS);
    for (Tool tool : tools) {
      assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(60);
      Map<String, Object> schema = tool.inputSchema();
      assertThat(schema.get("type")).as(tool.name()).isEqualTo("object");
      ((Map<?, ?>) java.util.Objects.requireNonNull(schema.get("properties")))
          .forEach(
              (name, property) ->
                  assertThat(((Map<?, ?>) property).get("description"))
                      .as(tool.name() + "." + name)
                      .isInstanceOf(String.class));
    }
  }

  @Test
  void send_writesANotificationFromTheServersAgent() throws IOException {
    JsonNode sent =
        json(call(dc, "phisync_send", Map.of("to", "webc", "command", "build-finished")));

    Path file = root.resolve("webc/inbox/msg-" + sent.get("id").asString() + ".json");
    JsonNode written = Json.parse(Files.readString(file));
    assertThat(written.get("from").asString()).isEqualTo("dc");
    assertThat(written.get("type").asString()).isEqualTo("notification");
    assertThat(written.at("/payload/command").asString()).isEqualTo("build-finished");
  }

  @Test
  void send_neverTakesTheSenderFromItsInput() {
    CallToolResult result =
        call(dc, "phisync_send", Map.of("to", "webc", "command", "x", "from", "webc"));

    assertThat(result.isError()).isTrue();
    assertThat(inbox(WEBC)).isEmpty();
  }

  @Test
  void request_answeredInTime_returnsTheResponse() throws Exception {
    Thread responder =
        new Thread(
            () -> {
              try {
                Claim claim = phi.bus().receive(WEBC, Duration.ofSeconds(60)).orElseThrow();
                phi.bus().reply(claim, Json.object().put("sources", 12));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    responder.start();

    JsonNode answer =
        json(
            call(
                dc,
                "phisync_request",
                Map.of("to", "webc", "command", "research", "payload", Map.of("topic", "OAuth2"))));
    responder.join();

    assertThat(answer.get("status").asString()).isEqualTo("answered");
    assertThat(answer.get("from").asString()).isEqualTo("webc");
    assertThat(answer.at("/response/sources").asInt()).isEqualTo(12);
    String id = answer.get("requestId").asString();
    assertThat(root.resolve("webc/processed-ids/" + id)).exists();
    assertThat(root.resolve("webc/outbox/resp-" + id + ".json")).doesNotExist();
  }

  @Test
  void request_notAnsweredInTime_returnsTheIdToWaitOn_andWaitResponseGetsItLater()
      throws Exception {
    JsonNode pending =
        json(
            call(
                dc,
                "phisync_request",
                Map.of("to", "webc", "command", "research", "waitSeconds", 0)));
    assertThat(pending.get("status").asString()).isEqualTo("pending");
    String id = pending.get("requestId").asString();
    assertThat(root.resolve("webc/inbox/req-" + id + ".json")).exists();

    CallToolResult early =
        call(dc, "phisync_wait_response", Map.of("requestId", id, "waitSeconds", 1));
    assertThat(early.isError()).isTrue();
    assertThat(text(early)).contains("still pending").contains("phisync_wait_response");

    Claim claim = phi.bus().receive(WEBC, Duration.ofSeconds(10)).orElseThrow();
    phi.bus().replyError(claim, "no sources found");

    JsonNode answer = json(call(dc, "phisync_wait_response", Map.of("requestId", id)));
    assertThat(answer.get("status").asString()).isEqualTo("error");
    assertThat(answer.get("error").asString()).isEqualTo("no sources found");
    assertThat(root.resolve("webc/outbox/resp-" + id + ".json")).doesNotExist();

    CallToolResult again = call(dc, "phisync_wait_response", Map.of("requestId", id));
    assertThat(text(again)).contains("already received");
  }

  @Test
  void waitResponse_forARequestNeverSent_isAToolError() {
    CallToolResult result =
        call(dc, "phisync_wait_response", Map.of("requestId", "nope", "waitSeconds", 1));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).contains("no request nope sent by dc");
  }

  @Test
  void inboxReceiveAndReply_answerARequestOnDisk() throws IOException {
    Envelope request = phi.bus().sendRequest(WEBC, DC, "build", Json.object().put("x", 1), null);

    JsonNode inbox = json(call(dc, "phisync_inbox", Map.of()));
    assertThat(inbox.get("pendingCount").asInt()).isEqualTo(1);
    assertThat(inbox.at("/pending/0/id").asString()).isEqualTo(request.id());

    JsonNode received =
        json(call(dc, "phisync_receive", Map.of("waitSeconds", 5, "leaseSeconds", 600)));
    assertThat(received.at("/message/id").asString()).isEqualTo(request.id());
    assertThat(received.at("/message/payload/x").asInt()).isEqualTo(1);
    String token = received.get("claimToken").asString();
    assertThat(root.resolve("dc/claimed/" + token)).exists();

    JsonNode replied =
        json(
            call(
                dc,
                "phisync_reply",
                Map.of("id", request.id(), "claimToken", token, "payload", Map.of("ok", true))));
    assertThat(replied.get("to").asString()).isEqualTo("webc");
    JsonNode response =
        Json.parse(Files.readString(root.resolve("dc/outbox/resp-" + request.id() + ".json")));
    assertThat(response.get("from").asString()).isEqualTo("dc");
    assertThat(response.at("/payload/ok").asBoolean()).isTrue();
    assertThat(root.resolve("dc/processed-ids/" + request.id())).exists();

    CallToolResult twice = call(dc, "phisync_reply", Map.of("id", request.id()));
    assertThat(twice.isError()).isTrue();
    assertThat(text(twice)).contains("already done");
  }

  @Test
  void receive_onAnEmptyInbox_saysSoWithoutError() {
    JsonNode received = json(call(dc, "phisync_receive", Map.of()));

    assertThat(received.get("message").isNull()).isTrue();
  }

  @Test
  void ack_finishesANotification_andReplyRefusesOne() {
    Envelope note = phi.bus().notify(WEBC, DC, "fyi", null);
    json(call(dc, "phisync_receive", Map.of()));

    CallToolResult reply = call(dc, "phisync_reply", Map.of("id", note.id()));
    assertThat(reply.isError()).isTrue();
    assertThat(text(reply)).contains("phisync_ack");

    json(call(dc, "phisync_ack", Map.of("id", note.id())));
    assertThat(root.resolve("dc/processed-ids/" + note.id())).exists();
  }

  @Test
  void nack_givesTheMessageBack() {
    Envelope request = phi.bus().sendRequest(WEBC, DC, "build", null, null);
    json(call(dc, "phisync_receive", Map.of()));

    JsonNode nacked = json(call(dc, "phisync_nack", Map.of("id", request.id(), "reason", "busy")));

    assertThat(nacked.get("outcome").asString()).isEqualTo("requeued");
    assertThat(nacked.get("attempt").asInt()).isEqualTo(1);
    assertThat(root.resolve("dc/inbox/req-" + request.id() + ".json")).exists();
    assertThat(root.resolve("dc/deliveries/" + request.id() + ".json")).exists();
  }

  @Test
  void status_listsTheAgentsAndWhoIAm() {
    phi.bus().notify(DC, WEBC, "fyi", null);

    JsonNode status = json(call(dc, "phisync_status", Map.of()));

    assertThat(status.get("self").asString()).isEqualTo("dc");
    assertThat(status.at("/agents/0/name").asString()).isEqualTo("dc");
    assertThat(status.at("/agents/1/name").asString()).isEqualTo("webc");
    assertThat(status.at("/agents/1/pending").asInt()).isEqualTo(1);
  }

  @Test
  void deadLetters_listsWhatExpiredUndelivered() throws InterruptedException {
    Envelope expired = phi.bus().sendRequest(WEBC, DC, "late", null, Duration.ofMillis(1));
    // Taking the inbox dead-letters the expired request on the way.
    assertThat(phi.bus().receive(DC, Duration.ZERO)).isEmpty();

    JsonNode letters = json(call(dc, "phisync_dead_letters", Map.of("agent", "dc")));

    assertThat(letters.get("count").asInt()).isEqualTo(1);
    assertThat(letters.at("/deadLetters/0/messageId").asString()).isEqualTo(expired.id());
    assertThat(letters.at("/deadLetters/0/reason").asString()).isNotBlank();
  }

  @Test
  void domainErrors_areToolErrorsThatSayWhatToDoNext() {
    CallToolResult unknown = call(dc, "phisync_send", Map.of("to", "nobody", "command", "x"));
    assertThat(unknown.isError()).isTrue();
    assertThat(text(unknown)).contains("nobody").contains("phisync_status");

    CallToolResult badName = call(dc, "phisync_send", Map.of("to", "Not A Name", "command", "x"));
    assertThat(badName.isError()).isTrue();
    assertThat(text(badName)).contains("a lowercase letter first");

    CallToolResult tooLong = call(dc, "phisync_receive", Map.of("waitSeconds", 600));
    assertThat(tooLong.isError()).isTrue();

    CallToolResult notClaimed = call(dc, "phisync_ack", Map.of("id", "abc"));
    assertThat(notClaimed.isError()).isTrue();
    assertThat(text(notClaimed)).contains("phisync_receive");
  }

  private List<Path> inbox(AgentName agent) {
    try (Stream<Path> files = Files.list(root.resolve(agent.value()).resolve("inbox"))) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
