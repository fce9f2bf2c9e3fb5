package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecvAndReplyCommandTest {
  @TempDir Path root;

  @BeforeEach
  void init() {
    assertThat(Cli.run("--root", root.toString(), "init", "--agents", "dc,webc").exitCode())
        .isZero();
  }

  private Cli.Result phisync(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--root";
    all[1] = root.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  private String sendResearch() {
    Cli.Result sent = phisync("send", "--from", "dc", "--to", "webc", "--command", "research");
    assertThat(sent.exitCode()).isZero();
    return sent.out().strip();
  }

  private Envelope response(String id) throws Exception {
    return EnvelopeCodec.decode(
        Files.readAllBytes(root.resolve("webc/outbox/resp-" + id + ".json")));
  }

  @Test
  void recv_withNothingThere_exits3() {
    Cli.Result result = phisync("recv", "--agent", "webc", "--wait", "100ms");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOTHING_RECEIVED);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("nothing arrived for webc within 100ms");
  }

  @Test
  void recv_printsTheClaimedEnvelope_andReplyAnswersIt() throws Exception {
    String id = sendResearch();

    Cli.Result received = phisync("recv", "--agent", "webc");
    assertThat(received.exitCode()).isZero();
    Envelope request = EnvelopeCodec.decode(received.out());
    assertThat(request.id()).isEqualTo(id);
    assertThat(request.command()).contains("research");
    assertThat(root.resolve("webc/inbox/req-" + id + ".json")).doesNotExist();

    Cli.Result replied =
        phisync("reply", "--agent", "webc", "--id", id, "--payload", "{\"sources\":3}");
    assertThat(replied.exitCode()).isZero();
    Envelope response = response(id);
    assertThat(replied.out().strip()).isEqualTo(response.id());
    assertThat(response.correlationId()).isEqualTo(id);
    assertThat(response.to()).isEqualTo("dc");
    assertThat(Cli.payload(response).get("sources").asInt()).isEqualTo(3);
  }

  @Test
  void reply_error_writesAnErrorResponse() throws Exception {
    String id = sendResearch();
    phisync("recv", "--agent", "webc");

    Cli.Result replied = phisync("reply", "--agent", "webc", "--id", id, "--error", "offline");

    assertThat(replied.exitCode()).isZero();
    Envelope response = response(id);
    assertThat(Cli.payload(response).get("error").asString()).isEqualTo("offline");
    assertThat(response.headers()).containsEntry("status", "error");
  }

  @Test
  void reply_toAMessageNobodyClaimed_exits2_sayingToClaimItFirst() {
    String id = sendResearch();

    Cli.Result replied = phisync("reply", "--agent", "webc", "--id", id);

    assertThat(replied.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(replied.err()).contains("nobody claimed it").contains("phisync recv");
    assertThat(root.resolve("webc/outbox/resp-" + id + ".json")).doesNotExist();
  }

  @Test
  void reply_twice_exits2_sayingItWasAnswered() {
    String id = sendResearch();
    phisync("recv", "--agent", "webc");
    assertThat(phisync("reply", "--agent", "webc", "--id", id).exitCode()).isZero();

    Cli.Result again = phisync("reply", "--agent", "webc", "--id", id);

    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("already answered");
  }

  @Test
  void reply_toAnUnknownId_exits2() {
    Cli.Result replied = phisync("reply", "--agent", "webc", "--id", "nope");

    assertThat(replied.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(replied.err()).contains("no claimed message nope");
  }

  @Test
  void reply_invalidId_exits2_namingTheRule() {
    Cli.Result replied = phisync("reply", "--agent", "webc", "--id", "../x");

    assertThat(replied.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(replied.err()).contains("a message id is 1 to 64 characters");
  }

  @Test
  void reply_withPayloadAndError_isAUsageError() {
    String id = sendResearch();
    phisync("recv", "--agent", "webc");

    Cli.Result replied =
        phisync("reply", "--agent", "webc", "--id", id, "--payload", "{}", "--error", "x");

    assertThat(replied.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void nack_requeuesWithTheNextAttempt_thenDeadLettersAtTheLast() throws Exception {
    String id = sendResearch();
    for (int attempt = 1; attempt <= 5; attempt++) {
      Cli.Result got = phisync("recv", "--agent", "webc");
      assertThat(got.exitCode()).as(got.err()).isZero();
      assertThat(EnvelopeCodec.decode(got.out()).attempt()).isEqualTo(attempt);

      Cli.Result nacked =
          phisync("nack", "--agent", "webc", "--id", id, "--reason", "tool crashed " + attempt);

      assertThat(nacked.exitCode()).as(nacked.err()).isZero();
      assertThat(nacked.out())
          .contains(attempt < 5 ? "requeued" : "dead-lettered")
          .contains("attempt " + attempt + " of 5");
    }
    assertThat(phisync("recv", "--agent", "webc").exitCode()).isEqualTo(ExitCodes.NOTHING_RECEIVED);
    Cli.Result shown = phisync("dlq", "list", "--json");
    assertThat(shown.out()).contains(id).contains("tool crashed 5");
  }

  @Test
  void nack_ofAMessageNobodyClaimed_isAUsageError() {
    String id = sendResearch();

    Cli.Result result = phisync("nack", "--agent", "webc", "--id", id, "--reason", "x");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("nobody claimed it");
  }
}
