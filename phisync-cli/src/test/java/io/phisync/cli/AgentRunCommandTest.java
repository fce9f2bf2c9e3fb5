package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code phisync agent run} in a child JVM, serving real sh programs. */
@DisabledOnOs(OS.WINDOWS)
class AgentRunCommandTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");
  private static final Duration WAIT = Duration.ofSeconds(120);

  /** Echoes the request's id and its payload's token: one sed, no other process. */
  private static final String ECHO =
      """
      #!/bin/sh
      exec sed -n -e 's/^  "id": "\\([^"]*\\)".*/{"requestId": "\\1",/p' \\
        -e 's/^ *"token": "\\([^"]*\\)".*/ "token": "\\1"}/p'
      """;

  @TempDir Path dir;
  private Path root;
  private PhiSync phi;
  private final List<ChildProcess> children = new ArrayList<>();

  @BeforeEach
  void open() {
    root = dir.resolve("root");
    phi = PhiSync.builder(root).durability(Durability.FAST).open();
    phi.init(List.of(DC, WEBC));
  }

  @AfterEach
  void close() {
    children.forEach(ChildProcess::close);
    phi.close();
  }

  private ChildProcess agent(String... args) {
    List<String> command = new ArrayList<>(List.of("--root", root.toString(), "--fast"));
    command.addAll(List.of("agent", "run", "--agent", "webc", "--heartbeat", "200ms"));
    command.addAll(List.of(args));
    ChildProcess child = ChildProcess.start(command);
    children.add(child);
    return child;
  }

  private Path script(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private JsonNode state() throws Exception {
    Path file = root.resolve("webc/state.json");
    return Files.exists(file) ? Json.parse(Files.readString(file)) : Json.object();
  }

  private void awaitStatus(String status) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> state().path("status").asString("").equals(status));
  }

  private static void terminate(ChildProcess child) {
    ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroy); // SIGTERM
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void execAgent_serves500RequestsWithConcurrency4_eachResponseMatchingItsRequest()
      throws Exception {
    Path echo = script("echo.sh", ECHO);
    ChildProcess child = agent("--exec", "sh " + echo, "--concurrency", "4");
    awaitStatus("running");
    assertThat(state().path("concurrency").asInt()).isEqualTo(4);

    List<Envelope> requests = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      requests.add(
          phi.bus()
              .sendRequest(
                  DC,
                  WEBC,
                  "echo",
                  Json.object().put("token", UUID.randomUUID().toString()),
                  null));
    }
    for (Envelope request : requests) {
      Optional<Envelope> response = phi.bus().awaitResponse(request, WAIT);
      assertThat(response)
          .as("response to %s; agent output:%n%s", request.id(), child.output())
          .isPresent();
      JsonNode payload = Cli.payload(response.get());
      assertThat(payload.path("requestId").asString()).isEqualTo(request.id());
      assertThat(payload.path("token").asString())
          .isEqualTo(Cli.payload(request).path("token").asString());
    }
    assertThat(phi.bus().deadLetters().list()).isEmpty();

    terminate(child);
    child.awaitExit(WAIT);
    JsonNode state = state();
    assertThat(state.path("status").asString()).isEqualTo("stopped");
    assertThat(state.path("processed").asLong()).isEqualTo(500);
    assertThat(child.output()).contains("agent webc stopped: 500 processed, 0 failed");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void sigterm_drainsTheWorkInFlightBeforeExiting() throws Exception {
    Path go = dir.resolve("go");
    Path slow =
        script(
            "slow.sh",
            """
            #!/bin/sh
            cat > /dev/null
            while [ ! -f "$1" ]; do sleep 0.05; done
            echo '{"done": true}'
            """);
    ChildProcess child = agent("--exec", "sh " + slow, "--arg", go.toString(), "--drain", "60s");
    awaitStatus("running");
    Envelope request = phi.bus().sendRequest(DC, WEBC, "slow", null, null);
    await().atMost(WAIT).until(() -> state().path("inFlight").asInt() == 1);

    terminate(child);
    awaitStatus("draining");
    Envelope later = phi.bus().sendRequest(DC, WEBC, "slow", null, null);
    Files.createFile(go);

    child.awaitExit(WAIT);
    Envelope response = phi.bus().awaitResponse(request, WAIT).orElseThrow();
    assertThat(Cli.payload(response).path("done").asBoolean()).isTrue();
    assertThat(state().path("status").asString()).isEqualTo("stopped");
    assertThat(phi.transport().pending(WEBC)).extracting(Envelope::id).containsExactly(later.id());
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void handlersFileAgent_answersUnknownCommands_andShowsDownOnceKilled() throws Exception {
    Path echo = script("echo.sh", ECHO);
    Path handlers =
        script(
            "handlers.yaml",
            """
            handlers:
              echo:
                program: sh
                args: ["%s"]
                timeout: 10s
              fail:
                program: sh
                args: ["-c", "echo 'no such topic' >&2; exit 4"]
            """
                .formatted(echo));
    ChildProcess child = agent("--handlers", handlers.toString(), "--max-attempts", "1");
    awaitStatus("running");

    Envelope echoed = phi.bus().call(DC, WEBC, "echo", Json.object().put("token", "t1"), WAIT);
    assertThat(Cli.payload(echoed).path("token").asString()).isEqualTo("t1");
    Envelope unknown = phi.bus().call(DC, WEBC, "rm -rf /", Json.object(), WAIT);
    assertThat(Cli.payload(unknown).path("error").asString())
        .contains("unknown command 'rm -rf /'")
        .contains("known: echo, fail");
    Envelope failed = phi.bus().call(DC, WEBC, "fail", Json.object(), WAIT);
    assertThat(Cli.payload(failed).path("error").asString())
        .contains("exited with code 4")
        .contains("no such topic");
    assertThat(phi.bus().deadLetters().list()).hasSize(1);
    assertThat(statusOf("webc")).isEqualTo("running");

    child.close(); // kill -9: no drain, no last word in state.json
    child.awaitExit(WAIT);

    assertThat(state().path("status").asString()).isEqualTo("running");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> statusOf("webc").equals("down"));
  }

  private String statusOf(String agent) {
    Cli.Result result = Cli.run("--root", root.toString(), "status", "--json");
    assertThat(result.exitCode()).as(result.err()).isZero();
    for (JsonNode node : Json.parse(result.out())) {
      if (node.path("agent").asString().equals(agent)) {
        return node.path("status").asString();
      }
    }
    throw new AssertionError("no agent " + agent + " in " + result.out());
  }

  @Test
  @Timeout(30)
  void usageErrors_areRefusedNamingTheProblem() throws Exception {
    Cli.Result both =
        Cli.run(
            "--root",
            root.toString(),
            "agent",
            "run",
            "--agent",
            "webc",
            "--exec",
            "cat",
            "--handlers",
            "x.yaml");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");

    Cli.Result unknownAgent =
        Cli.run("--root", root.toString(), "agent", "run", "--agent", "nobody", "--exec", "cat");
    assertThat(unknownAgent.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknownAgent.err()).contains("unknown agent 'nobody'");

    Path bad = script("bad.yaml", "handlers:\n  echo:\n    program: cat\n    shell: true\n");
    Cli.Result badFile =
        Cli.run(
            "--root",
            root.toString(),
            "agent",
            "run",
            "--agent",
            "webc",
            "--handlers",
            bad.toString());
    assertThat(badFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFile.err()).contains("command 'echo': unknown key 'shell'");
  }
}
