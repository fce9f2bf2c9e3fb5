package io.phisync.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.Durability;
import io.phisync.spi.InboxStats;
import io.phisync.spi.MutableClock;
import io.phisync.spi.NackOutcome;
import io.phisync.spi.PollingMode;
import io.phisync.spi.UnknownAgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DefaultMessageBusTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");

  @TempDir Path root;
  private final MutableClock clock = MutableClock.startingNow();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private PhiSync phi;
  private MessageBus bus;

  @BeforeEach
  void open() {
    phi = open(PollingMode.AUTO);
    bus = phi.bus();
  }

  private PhiSync open(PollingMode mode) {
    PhiSync opened =
        PhiSync.builder(root)
            .durability(Durability.FAST)
            .pollingMode(mode)
            .clock(clock)
            .bus(b -> b.lease(Duration.ofSeconds(30)).maxAttempts(3))
            .open();
    opened.init(List.of(DC, WEBC));
    return opened;
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    phi.close();
  }

  private static JsonNode payload(Envelope e) {
    return Objects.requireNonNull(e.payload());
  }

  private Claim receiveNow() throws InterruptedException {
    return bus.receive(WEBC, Duration.ZERO).orElseThrow();
  }

  // ------------------------------------------------------------ request / response

  @Test
  void call_answeredByAResponder_returnsTheResponseCorrelatedToTheRequest() throws Exception {
    AtomicReference<Envelope> seen = new AtomicReference<>();
    Future<?> responder =
        pool.submit(
            () -> {
              Claim request = bus.receive(WEBC, Duration.ofSeconds(20)).orElseThrow();
              seen.set(request.envelope());
              String topic = payload(request.envelope()).path("topic").asString();
              return bus.reply(request, Json.object().put("summary", "about " + topic));
            });

    Envelope response =
        bus.call(
            DC, WEBC, "research", Json.object().put("topic", "OAuth2"), Duration.ofSeconds(20));

    Envelope request = Objects.requireNonNull(seen.get());
    assertThat(request.command()).contains("research");
    assertThat(request.from()).isEqualTo("dc");
    assertThat(request.expiresAt()).isNotNull();
    assertThat(response.type()).isEqualTo(MessageType.RESPONSE);
    assertThat(response.correlationId()).isEqualTo(request.id());
    assertThat(response.from()).isEqualTo("webc");
    assertThat(response.to()).isEqualTo("dc");
    assertThat(payload(response).path("summary").asString()).isEqualTo("about OAuth2");
    responder.get(5, TimeUnit.SECONDS);
    assertThat(phi.transport().isProcessed(WEBC, request.messageId())).isTrue();
  }

  @Test
  void lateResponse_nobodyWaitsFor_isMovedToExpiredByTheRespondersLoop() throws Exception {
    Envelope request = bus.sendRequest(DC, WEBC, "research", null, Duration.ofSeconds(10));
    bus.reply(receiveNow(), Json.object().put("sources", 1));
    Path response = root.resolve("webc/outbox/resp-" + request.id() + ".json");
    assertThat(response).exists();

    clock.advance(Duration.ofMinutes(1)); // The requester gave up long ago.
    assertThat(bus.receive(WEBC, Duration.ZERO)).isEmpty();

    assertThat(response).doesNotExist();
    assertThat(root.resolve("webc/outbox/expired/resp-" + request.id() + ".json")).exists();
    assertThat(bus.awaitResponse(request, Duration.ZERO)).isEmpty();
  }

  @Test
  void call_withoutAResponder_timesOutWithAClearMessage() {
    assertThatThrownBy(() -> bus.call(DC, WEBC, "research", null, Duration.ofMillis(300)))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("no response from webc")
        .hasMessageContaining("'research'")
        .hasMessageContaining("within 300ms");
    Envelope request = phi.transport().pending(WEBC).get(0);
    assertThat(request.expiresAt()).isNotNull();
  }

  @Test
  void replyTo_sendsTheResponseWhereTheRequestAsked() throws Exception {
    Envelope sent =
        bus.send(
            Envelope.builder()
                .type(MessageType.REQUEST)
                .from(DC)
                .to(WEBC)
                .replyTo("vssc")
                .payload(Json.object().put("command", "build"))
                .build());

    Envelope error = bus.replyError(receiveNow(), "compiler missing");

    assertThat(error.to()).isEqualTo("vssc");
    assertThat(error.headers()).containsEntry("status", "error");
    assertThat(payload(error).path("error").asString()).isEqualTo("compiler missing");
    assertThat(bus.awaitResponse(sent, Duration.ZERO)).contains(error);
  }

  @Test
  void sendRequest_payloadNotAnObject_isRejected() {
    assertThatThrownBy(() -> bus.sendRequest(DC, WEBC, "x", Json.mapper().readTree("[1,2]"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> bus.sendRequest(DC, AgentName.of("nobody"), "x", null, null))
        .isInstanceOf(UnknownAgentException.class);
  }

  // ------------------------------------------------------------ delivery

  @Test
  void notify_deliversANotificationWithItsCommand() throws Exception {
    Envelope sent = bus.notify(DC, WEBC, "heads-up", Json.object().put("level", 2));

    Claim claim = receiveNow();

    assertThat(claim.envelope().id()).isEqualTo(sent.id());
    assertThat(claim.envelope().type()).isEqualTo(MessageType.NOTIFICATION);
    assertThat(claim.envelope().command()).contains("heads-up");
    assertThat(payload(claim.envelope()).path("level").asInt()).isEqualTo(2);
    bus.ack(claim);
    assertThat(bus.receive(WEBC, Duration.ZERO)).isEmpty();
  }

  @Test
  void receive_copyOfAnAcknowledgedId_isAcknowledgedWithoutBeingDelivered() throws Exception {
    Envelope sent = bus.sendRequest(DC, WEBC, "pay", null, null);
    bus.ack(receiveNow());

    bus.send(sent); // The same id again, as a retrying sender would.

    assertThat(bus.receive(WEBC, Duration.ZERO)).isEmpty();
    assertThat(phi.transport().stats(WEBC)).isEqualTo(new InboxStats(0, 0));
    assertThat(bus.deadLetters().list()).isEmpty();
  }

  @Test
  void receiveBatch_takesWhatIsWaitingUpToMax_thenAckAllAcknowledgesIt() throws Exception {
    List<String> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(bus.sendRequest(DC, WEBC, "step" + i, null, null).id());
    }

    List<Claim> first = bus.receiveBatch(WEBC, 3, Duration.ofSeconds(5));
    List<Claim> rest = bus.receiveBatch(WEBC, 10, Duration.ofSeconds(5));
    bus.ackAll(first);
    bus.ackAll(rest);

    assertThat(first).hasSize(3);
    assertThat(rest).hasSize(2);
    List<String> received = new java.util.ArrayList<>();
    first.forEach(c -> received.add(c.envelope().id()));
    rest.forEach(c -> received.add(c.envelope().id()));
    assertThat(received).containsExactlyElementsOf(sent); // Oldest first, each once.
    assertThat(phi.transport().stats(WEBC)).isEqualTo(new InboxStats(0, 0));
    assertThat(bus.receiveBatch(WEBC, 10, Duration.ofMillis(50))).isEmpty();
    assertThatThrownBy(() -> bus.receiveBatch(WEBC, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  @Test
  void receiveBatch_waiting_getsAMessageSentMeanwhile() throws Exception {
    Future<List<Claim>> waiting =
        pool.submit(() -> bus.receiveBatch(WEBC, 8, Duration.ofSeconds(30)));
    Envelope sent = bus.sendRequest(DC, WEBC, "late", null, null);

    List<Claim> batch = waiting.get(30, TimeUnit.SECONDS);

    assertThat(batch).isNotEmpty();
    assertThat(batch.get(0).envelope().id()).isEqualTo(sent.id());
  }

  @Test
  void receive_expiredMessage_isDeadLetteredNotDelivered() throws Exception {
    Envelope sent = bus.sendRequest(DC, WEBC, "late", null, Duration.ofSeconds(10));
    Envelope fresh = bus.sendRequest(DC, WEBC, "fresh", null, Duration.ofMinutes(10));
    clock.advance(Duration.ofSeconds(11));

    Claim claim = receiveNow();

    assertThat(claim.envelope().id()).isEqualTo(fresh.id());
    assertThat(bus.receive(WEBC, Duration.ZERO)).isEmpty();
    List<DeadLetter> letters = bus.deadLetters().list();
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).messageId()).isEqualTo(sent.id());
    assertThat(letters.get(0).reason()).startsWith("expired");
  }

  @Test
  void nack_redeliversThenDeadLettersAtMaxAttempts() throws Exception {
    Envelope sent = bus.sendRequest(DC, WEBC, "flaky", null, null);

    assertThat(bus.nack(receiveNow(), "first")).isEqualTo(NackOutcome.REQUEUED);
    Claim second = receiveNow();
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(bus.nack(second, "second")).isEqualTo(NackOutcome.REQUEUED);
    assertThat(bus.nack(receiveNow(), "third")).isEqualTo(NackOutcome.DEAD_LETTERED);

    DeadLetter letter = bus.deadLetters().list().get(0);
    assertThat(letter.messageId()).isEqualTo(sent.id());
    assertThat(letter.history()).hasSize(3);
  }

  @Test
  void receive_afterAConsumersLeaseRanOut_redeliversAtAttemptTwo() throws Exception {
    Envelope sent = bus.sendRequest(DC, WEBC, "x", null, null);
    Claim first = receiveNow();
    assertThat(bus.receive(WEBC, Duration.ZERO)).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    Claim again = receiveNow();

    assertThat(again.envelope().id()).isEqualTo(sent.id());
    assertThat(again.attempt()).isEqualTo(2);
    assertThatThrownBy(() -> bus.ack(first)).isInstanceOf(io.phisync.spi.LeaseLostException.class);
    bus.ack(again);
  }

  @Test
  void receive_handsOutAWaitingMessageBeforeLeaseRecoveryRuns() throws Exception {
    Envelope lapsed = bus.sendRequest(DC, WEBC, "x", null, null);
    receiveNow();
    Envelope waiting = bus.sendRequest(DC, WEBC, "y", null, null);
    clock.advance(Duration.ofSeconds(31)); // The first claim's lease ran out; recovery is due.

    Claim next = receiveNow();

    assertThat(next.envelope().id()).isEqualTo(waiting.id());
    // Recovery still ran, after the claim: it was overdue (an inbox that never runs dry).
    assertThat(phi.transport().pending(WEBC)).extracting(Envelope::id).containsExactly(lapsed.id());
    Claim again = receiveNow();
    assertThat(again.envelope().id()).isEqualTo(lapsed.id());
    assertThat(again.attempt()).isEqualTo(2);
  }

  @Test
  void renew_keepsTheMessageFromComingBack() throws Exception {
    bus.sendRequest(DC, WEBC, "x", null, null);
    Claim claim = receiveNow();
    clock.advance(Duration.ofSeconds(20));
    claim = bus.renew(claim);
    clock.advance(Duration.ofSeconds(20));

    assertThat(bus.receive(WEBC, Duration.ZERO)).isEmpty();
    bus.ack(claim);
  }

  @ParameterizedTest
  @EnumSource(
      value = PollingMode.class,
      names = {"POLL", "WATCH"})
  void receive_waiting_getsAMessageSentMeanwhile(PollingMode mode) throws Exception {
    phi.close();
    phi = open(mode);
    bus = phi.bus();
    assertThat(phi.transport().describe())
        .contains(mode == PollingMode.POLL ? "polling" : "watching");
    AtomicReference<Thread> receiver = new AtomicReference<>();
    CompletableFuture<Optional<Claim>> received =
        CompletableFuture.supplyAsync(
            () -> {
              receiver.set(Thread.currentThread());
              try {
                return bus.receive(WEBC, Duration.ofSeconds(20));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            pool);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                receiver.get() != null && receiver.get().getState() == Thread.State.TIMED_WAITING);

    Envelope sent = bus.sendRequest(DC, WEBC, "wake", null, null);

    Claim claim = received.get(15, TimeUnit.SECONDS).orElseThrow();
    assertThat(claim.envelope().id()).isEqualTo(sent.id());
  }

  @Test
  void findClaim_seesAClaimMadeElsewhere() throws Exception {
    Envelope sent = bus.sendRequest(DC, WEBC, "x", null, null);
    receiveNow();

    Claim found = bus.findClaim(WEBC, sent.messageId()).orElseThrow();

    bus.ack(found);
    assertThat(phi.transport().isProcessed(WEBC, sent.messageId())).isTrue();
  }

  @Test
  void status_reportsCountsPerAgent() throws Exception {
    bus.sendRequest(DC, WEBC, "a", null, null);
    bus.sendRequest(DC, WEBC, "b", null, null);
    receiveNow();

    assertThat(phi.status())
        .filteredOn(s -> s.agent().equals(WEBC))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.pending()).isEqualTo(1);
              assertThat(s.claimed()).isEqualTo(1);
              assertThat(s.status()).isEqualTo("initialized");
            });
    assertThat(Files.isDirectory(phi.root().resolve("dlq"))).isTrue();
  }
}
