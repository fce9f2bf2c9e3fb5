package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.MessageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendCommandTest {
  @TempDir Path root;

  @BeforeEach
  void init() {
    assertThat(Cli.run("--root", root.toString(), "init", "--agents", "dc,webc").exitCode())
        .isZero();
  }

  private Cli.Result send(String... args) {
    String[] all =
        Stream.concat(Stream.of("--root", root.toString(), "send"), Stream.of(args))
            .toArray(String[]::new);
    return Cli.run(all);
  }

  private Envelope inboxMessage(String agent, String id) throws Exception {
    return EnvelopeCodec.decode(
        Files.readAllBytes(root.resolve(agent).resolve("inbox").resolve("req-" + id + ".json")));
  }

  @Test
  void send_printsTheIdOfARequestWrittenToTheRecipientsInbox() throws Exception {
    Cli.Result result =
        send(
            "--from",
            "dc",
            "--to",
            "webc",
            "--command",
            "research",
            "--payload",
            "{\"topic\":\"OAuth2\"}");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    String id = result.out().strip();
    Envelope message = inboxMessage("webc", id);
    assertThat(message.type()).isEqualTo(MessageType.REQUEST);
    assertThat(message.from()).isEqualTo("dc");
    assertThat(message.command()).contains("research");
    assertThat(Cli.payload(message).get("topic").asString()).isEqualTo("OAuth2");
  }

  @Test
  void send_notify_sendsANotification() throws Exception {
    Cli.Result result = send("--from", "dc", "--to", "webc", "--command", "ping", "--notify");

    assertThat(result.exitCode()).isZero();
    assertThat(Files.list(root.resolve("webc/inbox")).map(p -> p.getFileName().toString()))
        .anyMatch(name -> name.contains(result.out().strip()));
  }

  @Test
  void send_deadline_setsTheExpiry() throws Exception {
    Cli.Result result =
        send("--from", "dc", "--to", "webc", "--command", "research", "--deadline", "5m");

    assertThat(result.exitCode()).isZero();
    assertThat(inboxMessage("webc", result.out().strip()).expiresAt()).isNotNull();
  }

  @Test
  void send_payloadFromAFile_readsIt() throws Exception {
    Path file = root.resolve("payload.json");
    Files.write(file, "\uFEFF{\"topic\":\"from a file\"}\r\n".getBytes("UTF-8"));

    Cli.Result result =
        send("--from", "dc", "--to", "webc", "--command", "research", "--payload", "@" + file);

    assertThat(result.exitCode()).isZero();
    assertThat(Cli.payload(inboxMessage("webc", result.out().strip())).get("topic").asString())
        .isEqualTo("from a file");
  }

  @Test
  void send_toAnUnknownAgent_exits2_sayingSo_andCreatesNoInbox() {
    Cli.Result result = send("--from", "dc", "--to", "kalic", "--command", "audit");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("unknown agent 'kalic'").contains("known: dc, webc");
    assertThat(result.out()).isEmpty();
    assertThat(root.resolve("kalic")).doesNotExist();
  }

  @Test
  void send_badAgentName_exits2_namingTheRule() {
    Cli.Result result = send("--from", "dc", "--to", "../etc", "--command", "x");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("invalid agent name '../etc'").contains("lowercase letter");
  }

  @Test
  void send_invalidJson_exits2_andWritesNothing() throws Exception {
    Cli.Result result =
        send("--from", "dc", "--to", "webc", "--command", "x", "--payload", "{topic: oops");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--payload").contains("not valid JSON");
    assertThat(Files.list(root.resolve("webc/inbox"))).allMatch(Files::isDirectory);
  }

  @Test
  void send_payloadThatIsNotAnObject_exits2() {
    Cli.Result result = send("--from", "dc", "--to", "webc", "--command", "x", "--payload", "[1]");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("must be a JSON object, got array");
  }

  @Test
  void send_missingPayloadFile_exits2() {
    Cli.Result result =
        send("--from", "dc", "--to", "webc", "--command", "x", "--payload", "@no-such.json");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("no such payload file");
  }

  @Test
  void send_badDuration_exits2_namingTheForms() {
    Cli.Result result =
        send("--from", "dc", "--to", "webc", "--command", "x", "--deadline", "soon");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("invalid duration 'soon'").contains("500ms, 10s, 5m");
  }

  @Test
  void send_deadlineWithNotify_isAUsageError() {
    Cli.Result result =
        send("--from", "dc", "--to", "webc", "--command", "x", "--notify", "--deadline", "1s");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void send_missingRequiredOption_exits2() {
    Cli.Result result = send("--from", "dc", "--to", "webc");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--command");
  }

  @Test
  void send_toARootThatDoesNotExist_exits2_andCreatesNothing() {
    Path missing = root.resolve("nowhere");

    Cli.Result result =
        Cli.run(
            "--root", missing.toString(), "send", "--from", "dc", "--to", "webc", "--command", "x");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("no PhiSync root at").contains("init");
    assertThat(missing).doesNotExist();
  }
}
