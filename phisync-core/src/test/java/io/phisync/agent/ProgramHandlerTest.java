package io.phisync.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Real programs (POSIX sh) run as handlers. */
@DisabledOnOs(OS.WINDOWS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProgramHandlerTest {
  private static final AgentName WEBC = AgentName.of("webc");

  @TempDir Path dir;

  private static Delivery delivery(String command, JsonNode payload) {
    Envelope message =
        Envelope.builder()
            .type(MessageType.REQUEST)
            .from(AgentName.of("dc"))
            .to(WEBC)
            .payload(
                Json.object()
                    .put("command", command)
                    .setAll((tools.jackson.databind.node.ObjectNode) payload))
            .build();
    return new Delivery(WEBC, message, 1);
  }

  private static Program sh(String script) {
    return Program.of(List.of("sh", "-c", script));
  }

  @Test
  void envelopeGoesToStdin_andStdoutIsTheResponse() throws Exception {
    // The payload would be dangerous on a command line; here it is only data on stdin.
    Delivery d = delivery("echo", Json.object().put("text", "$(rm -rf /); `id`"));
    JsonNode result =
        sh("id=$(sed -n 's/^  \"id\": \"\\([^\"]*\\)\".*/\\1/p'); "
                + "printf '{\"id\": \"%s\", \"env\": \"%s\", \"attempt\": \"%s\"}' "
                + "\"$id\" \"$PHISYNC_MESSAGE_ID\" \"$PHISYNC_ATTEMPT\"")
            .handler()
            .handle(d);
    assertThat(Objects.requireNonNull(result).get("id").asString()).isEqualTo(d.message().id());
    assertThat(result.get("env").asString()).isEqualTo(d.message().id());
    assertThat(result.get("attempt").asString()).isEqualTo("1");
  }

  @Test
  void emptyStdout_isAnEmptyResponse() throws Exception {
    assertThat(sh("cat > /dev/null").handler().handle(delivery("x", Json.object()))).isNull();
  }

  @Test
  void nonZeroExit_isAFailureWithStderrAsTheReason() {
    assertThatThrownBy(
            () ->
                sh("echo 'no such topic' >&2; exit 3")
                    .handler()
                    .handle(delivery("x", Json.object())))
        .isInstanceOf(ProgramFailedException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("no such topic");
  }

  @Test
  void stderr_isBoundedInTheReason() {
    assertThatThrownBy(
            () ->
                sh("i=0; while [ $i -lt 2000 ]; do echo 'xxxxxxxxxxxxxxxxxxxx' >&2; i=$((i+1)); done; exit 1")
                    .handler()
                    .handle(delivery("x", Json.object())))
        .isInstanceOf(ProgramFailedException.class)
        .hasMessageContaining("stderr truncated")
        .satisfies(
            e ->
                assertThat(String.valueOf(e.getMessage()).length())
                    .isLessThan(Program.MAX_STDERR_BYTES + 200));
  }

  @Test
  void stdoutThatIsNotAJsonObject_isAFailure() {
    assertThatThrownBy(() -> sh("echo not json").handler().handle(delivery("x", Json.object())))
        .hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> sh("echo '[1, 2]'").handler().handle(delivery("x", Json.object())))
        .hasMessageContaining("not an object");
  }

  @Test
  void stdoutOverTheLimit_isAFailure() {
    assertThatThrownBy(
            () ->
                sh("head -c 2000000 /dev/zero | tr '\\0' 'x'")
                    .handler()
                    .handle(delivery("x", Json.object())))
        .hasMessageContaining("more than " + Program.MAX_STDOUT_BYTES + " bytes");
  }

  @Test
  void timeout_killsTheProgramAndItsChildren() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Program program =
        sh("sleep 60 & echo $! > '" + pidFile + "'; wait").withTimeout(Duration.ofMillis(500));

    assertThatThrownBy(() -> program.handler().handle(delivery("x", Json.object())))
        .isInstanceOf(ProgramFailedException.class)
        .hasMessageContaining("timed out after 500ms");

    long child = Long.parseLong(Files.readString(pidFile).strip());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void configuredEnvironment_reachesTheProgram() throws Exception {
    Program program =
        new Program(
            List.of("sh", "-c", "printf '{\"mode\": \"%s\"}' \"$MODE\""),
            Duration.ofSeconds(10),
            Map.of("MODE", "audit"));
    JsonNode result = program.handler().handle(delivery("x", Json.object()));
    assertThat(Objects.requireNonNull(result).get("mode").asString()).isEqualTo("audit");
  }

  @Test
  void missingProgram_isAFailureNamingIt() {
    assertThatThrownBy(
            () ->
                Program.of(List.of(dir.resolve("missing").toString()))
                    .handler()
                    .handle(delivery("x", Json.object())))
        .isInstanceOf(ProgramFailedException.class)
        .hasMessageContaining("could not start program");
  }
}
