package io.phisync.cli;

import static io.phisync.cli.McpServers.call;
import static io.phisync.cli.McpServers.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Two assistants, each behind its own {@code phisync mcp} process, delegating work. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class McpEndToEndTest {
  @TempDir Path root;

  @Test
  void dcRequests_webcClaimsAndReplies_dcWaitsAndGetsTheAnswer() {
    try (PhiSync phi = PhiSync.open(root)) {
      phi.init(List.of(AgentName.of("dc"), AgentName.of("webc")));
    }
    StringBuffer stderr = new StringBuffer();
    McpSyncClient dc = McpServers.start(root, "dc", stderr);
    McpSyncClient webc = McpServers.start(root, "webc", stderr);
    try {
      JsonNode pending =
          json(
              call(
                  dc,
                  "phisync_request",
                  Map.of(
                      "to",
                      "webc",
                      "command",
                      "research",
                      "payload",
                      Map.of("topic", "OAuth2"),
                      "waitSeconds",
                      0)));
      String id = pending.get("requestId").asString();

      JsonNode received = json(call(webc, "phisync_receive", Map.of("waitSeconds", 30)));
      assertThat(received.at("/message/id").asString()).isEqualTo(id);
      assertThat(received.at("/message/from").asString()).isEqualTo("dc");
      assertThat(received.at("/message/payload/topic").asString()).isEqualTo("OAuth2");
      json(
          call(
              webc,
              "phisync_reply",
              Map.of(
                  "id", id,
                  "claimToken", received.get("claimToken").asString(),
                  "payload", Map.of("summary", "use PKCE"))));
      assertThat(root.resolve("webc/outbox/resp-" + id + ".json")).exists();

      JsonNode answer = json(call(dc, "phisync_wait_response", Map.of("requestId", id)));
      assertThat(answer.get("status").asString()).isEqualTo("answered");
      assertThat(answer.get("from").asString()).isEqualTo("webc");
      assertThat(answer.at("/response/summary").asString()).isEqualTo("use PKCE");
      assertThat(root.resolve("webc/processed-ids/" + id)).exists();
    } finally {
      dc.closeGracefully();
      webc.closeGracefully();
    }
  }

  @Test
  void stdout_carriesOnlyJsonRpc_andTheServerEndsWithItsInput() throws Exception {
    try (PhiSync phi = PhiSync.open(root)) {
      phi.init(List.of(AgentName.of("dc")));
    }
    Process server =
        new ProcessBuilder(McpServers.command(root, "dc"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> lines = new ArrayList<>();
    try (OutputStream in = server.getOutputStream();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      send(
          in,
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
              + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
      lines.add(out.readLine());
      send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
      lines.add(out.readLine());
      // A domain error (the server logs nothing to stdout for it) and a success.
      send(
          in,
          "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
              + "\"phisync_send\",\"arguments\":{\"to\":\"nobody\",\"command\":\"x\"}}}");
      lines.add(out.readLine());
      send(
          in,
          "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":"
              + "\"phisync_status\",\"arguments\":{}}}");
      lines.add(out.readLine());
      in.close();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    assertThat(server.waitFor(60, TimeUnit.SECONDS))
        .as("the server ends when stdin closes")
        .isTrue();
    assertThat(server.exitValue()).isZero();

    assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
    for (String line : lines) {
      JsonNode message = Json.parse(line);
      assertThat(message.get("jsonrpc").asString()).as(line).isEqualTo("2.0");
    }
    assertThat(Json.parse(lines.get(2)).at("/result/isError").asBoolean()).isTrue();
    assertThat(Json.parse(lines.get(3)).at("/result/isError").asBoolean()).isFalse();
  }

  @Test
  void unknownAgent_exits2_withNothingOnStdout() throws Exception {
    try (PhiSync phi = PhiSync.open(root)) {
      phi.init(List.of(AgentName.of("dc")));
    }
    Process server = new ProcessBuilder(McpServers.command(root, "nobody")).start();
    server.getOutputStream().close();
    byte[] stdout = server.getInputStream().readAllBytes();
    String stderr = new String(server.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).isEqualTo(ExitCodes.USAGE);
    assertThat(stdout).isEmpty();
    assertThat(stderr).contains("no agent 'nobody'").contains("phisync init --agents nobody");
  }

  private static void send(OutputStream in, String line) throws IOException {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }
}
