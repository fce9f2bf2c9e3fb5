package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.spi.Claim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestCommandTest {
  private static final AgentName WEBC = AgentName.of("webc");

  @TempDir Path root;

  @BeforeEach
  void init() {
    assertThat(Cli.run("--root", root.toString(), "init", "--agents", "dc,webc").exitCode())
        .isZero();
  }

  /** Answers one request of webc on another thread, as another agent would. */
  private CompletableFuture<Envelope> answerOnce(BiFunction<PhiSync, Claim, Envelope> handler) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (PhiSync phi = PhiSync.open(root)) {
            Claim claim = phi.bus().receive(WEBC, Duration.ofSeconds(30)).orElseThrow();
            return handler.apply(phi, claim);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void request_printsTheResponseEnvelope() throws Exception {
    CompletableFuture<Envelope> responder =
        answerOnce(
            (phi, claim) -> phi.bus().reply(claim, Json.object().put("summary", "use PKCE")));

    Cli.Result result =
        Cli.run(
            "--root",
            root.toString(),
            "request",
            "--from",
            "dc",
            "--to",
            "webc",
            "--command",
            "research",
            "--payload",
            "{\"topic\":\"OAuth2\"}",
            "--timeout",
            "30s");

    assertThat(result.exitCode()).isZero();
    Envelope response = EnvelopeCodec.decode(result.out());
    assertThat(response.id()).isEqualTo(responder.get(30, TimeUnit.SECONDS).id());
    assertThat(Cli.payload(response).get("summary").asString()).isEqualTo("use PKCE");
    assertThat(response.correlationId()).isNotBlank();
  }

  @Test
  void request_answeredWithAnError_exits5_andStillPrintsTheResponse() throws Exception {
    answerOnce((phi, claim) -> phi.bus().replyError(claim, "no network"));

    Cli.Result result =
        Cli.run(
            "--root",
            root.toString(),
            "request",
            "--from",
            "dc",
            "--to",
            "webc",
            "--command",
            "research");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR_RESPONSE);
    assertThat(Cli.payload(EnvelopeCodec.decode(result.out())).get("error").asString())
        .isEqualTo("no network");
    assertThat(result.err()).contains("webc answered with an error: no network");
  }

  @Test
  void request_withoutAnAnswer_exits124_withAClearMessage() {
    Cli.Result result =
        Cli.run(
            "--root",
            root.toString(),
            "request",
            "--from",
            "dc",
            "--to",
            "webc",
            "--command",
            "research",
            "--timeout",
            "200ms");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.TIMED_OUT);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("no response from webc").contains("within 200ms");
  }
}
