package io.phisync;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.spi.Claim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example, as written there, with each side in its own thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeExampleTest {
  @TempDir Path root;

  @Test
  void readmeExample_dcAsksAndWebcAnswers() throws Exception {
    AgentName dc = AgentName.of("dc"), webc = AgentName.of("webc");
    try (PhiSync setup = PhiSync.open(root)) {
      setup.init(PhiSync.DEFAULT_AGENTS);
    }
    AtomicBoolean running = new AtomicBoolean(true);
    CompletableFuture<Void> server =
        CompletableFuture.runAsync(
            () -> {
              try (PhiSync phi = PhiSync.open(root)) {
                MessageBus bus = phi.bus();
                while (running.get()) {
                  Optional<Claim> next = bus.receive(webc, Duration.ofMillis(200));
                  next.ifPresent(claim -> bus.reply(claim, Json.object().put("sources", 12)));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });

    Envelope response;
    try (PhiSync phi = PhiSync.open(root)) {
      phi.init(PhiSync.DEFAULT_AGENTS);
      response =
          phi.bus()
              .call(
                  dc,
                  webc,
                  "research",
                  Json.object().put("topic", "OAuth2"),
                  Duration.ofSeconds(20));
    } finally {
      running.set(false);
    }
    server.get(10, TimeUnit.SECONDS);

    assertThat(Objects.requireNonNull(response.payload()).get("sources").asInt()).isEqualTo(12);
    assertThat(response.from()).isEqualTo("webc");
  }
}
