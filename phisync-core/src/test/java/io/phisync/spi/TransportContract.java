package io.phisync.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The semantics of the transport SPI. Every transport extends this class and passes it unchanged;
 * {@link #createTransport} gives a fresh, empty store whose time is {@code clock}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportContract {
  protected static final AgentName DC = AgentName.of("dc");
  protected static final AgentName WEBC = AgentName.of("webc");
  protected static final AgentName NOBODY = AgentName.of("nobody");
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final MutableClock clock = MutableClock.startingNow();
  protected Transport transport;

  /** A fresh transport over an empty store, reading time from {@code clock}. */
  protected abstract Transport createTransport(Clock clock);

  @BeforeEach
  void openTransport() {
    transport = createTransport(clock);
    transport.initialize(List.of(DC, WEBC));
  }

  @AfterEach
  void closeTransport() {
    transport.close();
  }

  protected Envelope request(String command) {
    return Envelope.builder()
        .type(MessageType.REQUEST)
        .from(DC)
        .to(WEBC)
        .timestamp(OffsetDateTime.now(clock))
        .payload(Json.object().put("command", command))
        .build();
  }

  private Claim claimOne(String consumer) {
    return transport.claim(WEBC, consumer, LEASE).orElseThrow();
  }

  @Test
  void claim_messagesArrivingWhileABacklogDrains_areAllDelivered() {
    List<String> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Envelope e = request("early" + i);
      transport.enqueue(WEBC, e);
      sent.add(e.id());
    }
    List<String> delivered = new java.util.ArrayList<>();
    Claim first = claimOne("c1");
    delivered.add(first.envelope().id());
    transport.ack(first);
    for (int i = 0; i < 3; i++) {
      Envelope e = request("late" + i);
      transport.enqueue(WEBC, e);
      sent.add(e.id());
    }

    java.util.Optional<Claim> next;
    while ((next = transport.claim(WEBC, "c1", LEASE)).isPresent()) {
      delivered.add(next.get().envelope().id());
      transport.ack(next.get());
    }

    assertThat(delivered).containsExactlyInAnyOrderElementsOf(sent);
  }

  // ------------------------------------------------------------------ agents

  @Test
  void initialize_createsAgents_andIsIdempotent() {
    transport.initialize(List.of(DC, WEBC));

    assertThat(transport.agents()).containsExactly(DC, WEBC);
    assertThat(transport.hasAgent(WEBC)).isTrue();
    assertThat(transport.hasAgent(NOBODY)).isFalse();
  }

  @Test
  void unknownAgent_isAClearErrorForEveryInboxOperation() {
    Envelope message = request("x");

    assertThatThrownBy(() -> transport.enqueue(NOBODY, message))
        .isInstanceOf(UnknownAgentException.class)
        .hasMessageContaining("nobody");
    assertThatThrownBy(() -> transport.claim(NOBODY, "c", LEASE))
        .isInstanceOf(UnknownAgentException.class);
    assertThatThrownBy(() -> transport.recoverExpired(NOBODY, 3))
        .isInstanceOf(UnknownAgentException.class);
    assertThatThrownBy(() -> transport.stats(NOBODY)).isInstanceOf(UnknownAgentException.class);
    assertThatThrownBy(() -> transport.pending(NOBODY)).isInstanceOf(UnknownAgentException.class);
    assertThatThrownBy(() -> transport.takeResponse(NOBODY, message.messageId()))
        .isInstanceOf(UnknownAgentException.class);
  }

  // --------------------------------------------------------- enqueue, claim, ack

  @Test
  void enqueueThenClaim_deliversTheMessageAtAttemptOne() {
    Envelope sent = request("research");
    transport.enqueue(WEBC, sent);

    Claim claim = claimOne("c1");

    assertThat(claim.agent()).isEqualTo(WEBC);
    assertThat(claim.attempt()).isEqualTo(1);
    assertThat(claim.envelope().attempt()).isEqualTo(1);
    assertThat(claim.envelope().toBuilder().attempt(null).build()).isEqualTo(sent);
    assertThat(claim.consumer()).isEqualTo("c1");
    assertThat(claim.leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));
  }

  @Test
  void claim_emptyInbox_returnsEmpty() {
    assertThat(transport.claim(WEBC, "c1", LEASE)).isEmpty();
  }

  @Test
  void claim_heldMessage_isNotClaimedByAnotherConsumer() {
    transport.enqueue(WEBC, request("x"));
    claimOne("c1");

    assertThat(transport.claim(WEBC, "c2", LEASE)).isEmpty();
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 1));
  }

  @Test
  void ack_removesTheMessageAndRemembersItsId() {
    Envelope sent = request("x");
    transport.enqueue(WEBC, sent);
    assertThat(transport.isProcessed(WEBC, sent.messageId())).isFalse();

    Claim claim = claimOne("c1");
    assertThat(transport.isProcessed(WEBC, sent.messageId())).isFalse();
    transport.ack(claim);

    assertThat(transport.isProcessed(WEBC, sent.messageId())).isTrue();
    assertThat(transport.isProcessed(DC, sent.messageId())).isFalse();
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 0));
    assertThat(transport.claim(WEBC, "c1", LEASE)).isEmpty();
    assertThatThrownBy(() -> transport.ack(claim)).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void ackAll_acknowledgesEveryClaim_andAnEmptyBatchIsNothing() {
    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Envelope e = request("batch" + i);
      transport.enqueue(WEBC, e);
      sent.add(e);
    }
    List<Claim> claims = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      claims.add(claimOne("c1"));
    }
    transport.ackAll(List.of());
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 5));

    transport.ackAll(claims);

    for (Envelope e : sent) {
      assertThat(transport.isProcessed(WEBC, e.messageId())).as(e.id()).isTrue();
    }
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 0));
    assertThat(transport.claim(WEBC, "c1", LEASE)).isEmpty();
    assertThatThrownBy(() -> transport.ackAll(claims.subList(0, 1)))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void ackAll_withALostClaim_acknowledgesTheOthers_thenThrowsNamingIt() {
    Envelope first = request("first");
    Envelope stale = request("stale");
    Envelope last = request("last");
    transport.enqueue(WEBC, first);
    Claim firstClaim = claimOne("slow");
    transport.enqueue(WEBC, stale);
    Claim staleClaim = claimOne("slow");
    clock.advance(LEASE.plusSeconds(1));
    firstClaim = transport.renew(firstClaim, LEASE);
    transport.recoverExpired(WEBC, 5); // Only the stale claim's lease ran out.
    Claim retaken = claimOne("fast");
    assertThat(retaken.envelope().id()).isEqualTo(stale.id());
    transport.enqueue(WEBC, last);
    Claim lastClaim = claimOne("slow");

    List<Claim> batch = List.of(firstClaim, staleClaim, lastClaim);
    assertThatThrownBy(() -> transport.ackAll(batch))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining(stale.id());

    assertThat(transport.isProcessed(WEBC, first.messageId())).isTrue();
    assertThat(transport.isProcessed(WEBC, last.messageId())).isTrue();
    assertThat(transport.isProcessed(WEBC, stale.messageId())).isFalse();
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 1));
    transport.ack(retaken);
    assertThat(transport.isProcessed(WEBC, stale.messageId())).isTrue();
  }

  @Test
  void enqueue_sameIdTwice_throwsDuplicateAndKeepsTheFirst() {
    Envelope first = request("first");
    transport.enqueue(WEBC, first);
    Envelope second = first.toBuilder().payload(Json.object().put("command", "second")).build();

    assertThatThrownBy(() -> transport.enqueue(WEBC, second))
        .isInstanceOf(DuplicateMessageException.class)
        .hasMessageContaining(first.id());
    assertThat(transport.pending(WEBC)).containsExactly(first);
  }

  @Test
  void prepare_isInvisibleUntilPublished_thenDeliveredAsEnqueued() {
    Envelope message = request("prepared");

    try (PreparedMessage prepared = transport.prepare(WEBC, message)) {
      assertThat(transport.pending(WEBC)).as("before publish").isEmpty();
      assertThat(transport.claim(WEBC, "c1", LEASE)).as("before publish").isEmpty();
      assertThat(transport.stats(WEBC).pending()).isZero();

      prepared.publish();

      assertThatThrownBy(prepared::publish).isInstanceOf(IllegalStateException.class);
    }
    Claim claim = claimOne("c1");
    assertThat(claim.envelope().toBuilder().attempt(null).build()).isEqualTo(message);
    assertThat(claim.attempt()).isEqualTo(1);
  }

  @Test
  void prepare_closedWithoutPublishing_leavesNothing_andTheIdFree() {
    Envelope message = request("dropped");

    transport.prepare(WEBC, message).close();

    assertThat(transport.pending(WEBC)).isEmpty();
    assertThat(transport.claim(WEBC, "c1", LEASE)).isEmpty();
    transport.enqueue(WEBC, message); // Not a duplicate: nothing of the dropped one is left.
    assertThat(claimOne("c1").envelope().id()).isEqualTo(message.id());
  }

  @Test
  void prepare_ofAnIdAlreadyInTheInbox_failsOnPublish_andKeepsTheFirst() {
    Envelope first = request("first");
    transport.enqueue(WEBC, first);

    try (PreparedMessage again = transport.prepare(WEBC, first)) {
      assertThatThrownBy(again::publish).isInstanceOf(DuplicateMessageException.class);
    }

    assertThat(transport.pending(WEBC)).containsExactly(first);
  }

  @Test
  void prepare_forAnUnknownAgent_isAClearError() {
    assertThatThrownBy(() -> transport.prepare(NOBODY, request("x")))
        .isInstanceOf(UnknownAgentException.class)
        .hasMessageContaining("nobody");
  }

  @Test
  void pending_listsWaitingMessagesOldestFirst() {
    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Envelope e = request("n" + i);
      sent.add(e);
      transport.enqueue(WEBC, e);
    }

    assertThat(transport.pending(WEBC)).containsExactlyElementsOf(sent);
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(5, 0));
  }

  @Test
  void claim_competingConsumers_eachMessageOnce() throws Exception {
    int messages = 200;
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < messages; i++) {
      Envelope e = request("n" + i);
      sent.add(e.id());
      transport.enqueue(WEBC, e);
    }
    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> consumers = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        String consumer = "c" + c;
        consumers.add(
            pool.submit(
                () -> {
                  start.await();
                  Optional<Claim> claim;
                  while ((claim = transport.claim(WEBC, consumer, LEASE)).isPresent()) {
                    received.add(claim.get().envelope().id());
                    transport.ack(claim.get());
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : consumers) {
        f.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(received).doesNotHaveDuplicates().hasSize(messages);
    assertThat(new HashSet<>(received)).isEqualTo(sent);
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 0));
  }

  // ------------------------------------------------------------ leases, recovery

  @Test
  void recoverExpired_beforeTheLeaseEnds_movesNothing() {
    transport.enqueue(WEBC, request("x"));
    Claim claim = claimOne("c1");
    clock.advance(LEASE.minusSeconds(1));

    assertThat(transport.recoverExpired(WEBC, 5)).isZero();
    transport.ack(claim);
  }

  @Test
  void recoverExpired_afterTheLease_redeliversWithTheNextAttempt() {
    Envelope sent = request("x");
    transport.enqueue(WEBC, sent);
    claimOne("crashed");
    clock.advance(LEASE.plusSeconds(1));

    assertThat(transport.recoverExpired(WEBC, 5)).isEqualTo(1);
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(1, 0));
    Claim again = claimOne("c2");

    assertThat(again.envelope().id()).isEqualTo(sent.id());
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.envelope().attempt()).isEqualTo(2);
  }

  @Test
  void recoverExpired_atMaxAttempts_deadLettersWithTheHistory() {
    Envelope sent = request("x");
    transport.enqueue(WEBC, sent);
    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThat(claimOne("c" + attempt).attempt()).isEqualTo(attempt);
      clock.advance(LEASE.plusSeconds(1));
      assertThat(transport.recoverExpired(WEBC, 2)).isEqualTo(1);
    }

    assertThat(transport.claim(WEBC, "c3", LEASE)).isEmpty();
    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.messageId()).isEqualTo(sent.id());
    assertThat(letter.history())
        .extracting(DeliveryRecord::attempt, DeliveryRecord::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "lease-expired"),
            org.assertj.core.groups.Tuple.tuple(2, "lease-expired"));
  }

  @Test
  void renew_extendsTheLease() {
    transport.enqueue(WEBC, request("x"));
    Claim claim = claimOne("c1");
    clock.advance(LEASE.minusSeconds(5));

    Claim renewed = transport.renew(claim, LEASE);
    clock.advance(LEASE.minusSeconds(5));

    assertThat(renewed.leaseExpiresAt()).isAfter(claim.leaseExpiresAt());
    assertThat(transport.recoverExpired(WEBC, 5)).isZero();
    transport.ack(renewed);
    assertThat(transport.isProcessed(WEBC, claim.envelope().messageId())).isTrue();
  }

  @Test
  void expiredAndRetakenClaim_throwsLeaseLostForEveryOperation() {
    transport.enqueue(WEBC, request("x"));
    Claim stale = claimOne("slow");
    clock.advance(LEASE.plusSeconds(1));
    transport.recoverExpired(WEBC, 5);
    Claim fresh = claimOne("fast");

    assertThatThrownBy(() -> transport.ack(stale))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining(stale.envelope().id());
    assertThatThrownBy(() -> transport.renew(stale, LEASE)).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> transport.nack(stale, "failed", 5))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> transport.deadLetter(stale, "bad"))
        .isInstanceOf(LeaseLostException.class);

    transport.ack(fresh);
    assertThat(transport.isProcessed(WEBC, fresh.envelope().messageId())).isTrue();
    assertThat(transport.deadLetters().list()).isEmpty();
  }

  @Test
  void findClaim_findsAHeldMessageById() {
    Envelope sent = request("x");
    transport.enqueue(WEBC, sent);
    transport.enqueue(WEBC, request("other"));
    Claim held = transport.claim(WEBC, "c1", LEASE).orElseThrow();
    Claim other = transport.claim(WEBC, "c1", LEASE).orElseThrow();

    Claim found = transport.findClaim(WEBC, held.envelope().messageId()).orElseThrow();

    assertThat(found.envelope().id()).isEqualTo(held.envelope().id());
    assertThat(found.attempt()).isEqualTo(1);
    transport.ack(found);
    assertThat(transport.findClaim(WEBC, held.envelope().messageId())).isEmpty();
    assertThat(transport.findClaim(WEBC, other.envelope().messageId())).isPresent();
  }

  @Test
  void claimedAmong_and_respondedAmong_answerForManyIdsAtOnce() {
    Envelope held = request("held");
    Envelope waiting = request("waiting");
    Envelope answered = request("answered");
    transport.enqueue(WEBC, held);
    Claim claim = transport.claim(WEBC, "c1", LEASE).orElseThrow();
    transport.enqueue(WEBC, waiting);
    transport.respond(WEBC, responseTo(answered, OffsetDateTime.now(clock).plusMinutes(5)));
    List<MessageId> ids = List.of(held.messageId(), waiting.messageId(), answered.messageId());

    assertThat(transport.claimedAmong(WEBC, ids)).containsExactly(claim.envelope().messageId());
    assertThat(transport.respondedAmong(WEBC, ids)).containsExactly(answered.messageId());
    assertThat(transport.claimedAmong(WEBC, List.of())).isEmpty();

    transport.ack(claim);
    transport.takeResponse(WEBC, answered.messageId());
    assertThat(transport.claimedAmong(WEBC, ids)).isEmpty();
    assertThat(transport.respondedAmong(WEBC, List.of(waiting.messageId()))).isEmpty();
  }

  @Test
  void recoverExpired_concurrentWithClaimsAndAcks_neverTakesALiveClaim() throws Exception {
    int messages = 300;
    for (int i = 0; i < messages; i++) {
      transport.enqueue(WEBC, request("n" + i));
    }
    // The messages were written a while ago, as they are in real inboxes.
    clock.advance(Duration.ofSeconds(2));
    ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger recovered =
        new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> consumers = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        String consumer = "c" + c;
        consumers.add(
            pool.submit(
                () -> {
                  Optional<Claim> claim;
                  while ((claim = transport.claim(WEBC, consumer, LEASE)).isPresent()) {
                    try {
                      transport.ack(claim.get());
                      acked.add(claim.get().envelope().id());
                    } catch (RuntimeException e) {
                      failures.add(e);
                    }
                  }
                  return null;
                }));
      }
      Future<?> recoverer =
          pool.submit(
              () -> {
                while (!done.get()) {
                  recovered.addAndGet(transport.recoverExpired(WEBC, 5));
                }
                return null;
              });
      for (Future<?> f : consumers) {
        f.get(50, TimeUnit.SECONDS);
      }
      done.set(true);
      recoverer.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(failures).isEmpty();
    assertThat(recovered.get()).as("live claims taken as expired").isZero();
    assertThat(acked).doesNotHaveDuplicates().hasSize(messages);
    assertThat(transport.deadLetters().list()).isEmpty();
  }

  @Test
  void peekResponse_readsWithoutTaking_thenFindsTheTakenOne() {
    Envelope request = request("peeked");
    assertThat(transport.peekResponse(WEBC, request.messageId())).isEmpty();
    Envelope response = responseTo(request, OffsetDateTime.now(clock).plusMinutes(5));
    transport.respond(WEBC, response);

    assertThat(transport.peekResponse(WEBC, request.messageId())).contains(response);
    assertThat(transport.peekResponse(WEBC, request.messageId())).contains(response);
    assertThat(transport.takeResponse(WEBC, request.messageId())).contains(response);
    assertThat(transport.takeResponse(WEBC, request.messageId())).isEmpty();
    assertThat(transport.peekResponse(WEBC, request.messageId()))
        .as("a taken response can still be looked up")
        .contains(response);
  }

  @Test
  void removeResponse_takesItOnce_andItCanStillBeLookedUp() {
    Envelope request = request("removed");
    assertThat(transport.removeResponse(WEBC, request.messageId())).as("none yet").isFalse();
    Envelope response = responseTo(request, OffsetDateTime.now(clock).plusMinutes(5));
    transport.respond(WEBC, response);

    assertThat(transport.removeResponse(WEBC, request.messageId())).isTrue();

    assertThat(transport.removeResponse(WEBC, request.messageId())).isFalse();
    assertThat(transport.takeResponse(WEBC, request.messageId())).isEmpty();
    assertThat(transport.peekResponse(WEBC, request.messageId()))
        .as("a taken response can still be looked up")
        .contains(response);
  }

  @Test
  void takeResponse_competingRequesters_onlyOneGetsIt() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 50; round++) {
        Envelope request = request("r" + round);
        transport.respond(WEBC, responseTo(request, OffsetDateTime.now(clock).plusMinutes(5)));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<Envelope>>> takers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          takers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return transport.takeResponse(WEBC, request.messageId());
                  }));
        }
        start.countDown();
        int got = 0;
        for (Future<Optional<Envelope>> f : takers) {
          got += f.get(10, TimeUnit.SECONDS).isPresent() ? 1 : 0;
        }
        assertThat(got).as("takers of the response in round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------ nack, dead letters

  @Test
  void nack_requeuesForTheNextAttempt() {
    Envelope sent = request("x");
    transport.enqueue(WEBC, sent);

    assertThat(transport.nack(claimOne("c1"), "flaky", 3)).isEqualTo(NackOutcome.REQUEUED);
    Claim again = claimOne("c2");

    assertThat(again.envelope().id()).isEqualTo(sent.id());
    assertThat(again.attempt()).isEqualTo(2);
  }

  @Test
  void nack_atMaxAttempts_deadLettersWithTheFullHistory() {
    Envelope sent = request("x");
    transport.enqueue(WEBC, sent);

    assertThat(transport.nack(claimOne("c1"), "boom 1", 3)).isEqualTo(NackOutcome.REQUEUED);
    assertThat(transport.nack(claimOne("c2"), "boom 2", 3)).isEqualTo(NackOutcome.REQUEUED);
    Claim last = claimOne("c3");
    assertThat(last.attempt()).isEqualTo(3);
    assertThat(transport.nack(last, "boom 3", 3)).isEqualTo(NackOutcome.DEAD_LETTERED);

    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 0));
    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.agent()).isEqualTo("webc");
    assertThat(letter.messageId()).isEqualTo(sent.id());
    assertThat(letter.reason()).contains("3 of 3").contains("boom 3");
    assertThat(letter.history())
        .extracting(DeliveryRecord::attempt, DeliveryRecord::consumer, DeliveryRecord::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "c1", "boom 1"),
            org.assertj.core.groups.Tuple.tuple(2, "c2", "boom 2"),
            org.assertj.core.groups.Tuple.tuple(3, "c3", "boom 3"));
    assertThat(letter.history()).allMatch(r -> r.outcome().equals("nack"));
    assertThat(java.util.Objects.requireNonNull(letter.original()).path("id").asString())
        .isEqualTo(sent.id());
  }

  @Test
  void deadLetter_movesTheClaimedMessageToTheStore() {
    Envelope sent = request("x");
    transport.enqueue(WEBC, sent);

    DeadLetter letter = transport.deadLetter(claimOne("c1"), "poison");

    assertThat(letter.reason()).isEqualTo("poison");
    assertThat(letter.messageId()).isEqualTo(sent.id());
    assertThat(transport.deadLetters().list()).containsExactly(letter);
    assertThat(transport.deadLetters().get(letter.entryId())).contains(letter);
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 0));
    assertThat(transport.claim(WEBC, "c2", LEASE)).isEmpty();
  }

  @Test
  void replay_putsTheMessageBackWithFreshAttempts_andArchivesTheEntry() {
    Envelope sent = request("x");
    transport.enqueue(WEBC, sent);
    transport.nack(claimOne("c1"), "boom", 2);
    transport.nack(claimOne("c2"), "boom", 2);
    DeadLetter letter = onlyDeadLetter();

    MessageId replayed = transport.deadLetters().replay(letter.entryId());

    assertThat(replayed).isEqualTo(sent.messageId());
    assertThat(transport.deadLetters().list()).isEmpty();
    assertThat(transport.deadLetters().get(letter.entryId())).isEmpty();
    Claim again = claimOne("c3");
    assertThat(again.envelope().id()).isEqualTo(sent.id());
    assertThat(again.envelope().payload()).isEqualTo(sent.payload());
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(transport.nack(again, "still", 2)).isEqualTo(NackOutcome.REQUEUED);
  }

  @Test
  void replay_unknownEntry_throwsNamingIt() {
    assertThatThrownBy(() -> transport.deadLetters().replay("NOSUCHENTRY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOSUCHENTRY");
  }

  @Test
  void purge_deletesOneOrAllDeadLetters() {
    List<DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      transport.enqueue(WEBC, request("n" + i));
      letters.add(transport.deadLetter(claimOne("c"), "poison " + i));
    }

    assertThat(transport.deadLetters().purge(letters.get(0).entryId())).isTrue();
    assertThat(transport.deadLetters().purge(letters.get(0).entryId())).isFalse();
    assertThat(transport.deadLetters().list()).hasSize(2);
    assertThat(transport.deadLetters().purgeAll()).isEqualTo(2);
    assertThat(transport.deadLetters().list()).isEmpty();
  }

  // ------------------------------------------------------------ responses

  private Envelope responseTo(Envelope request, OffsetDateTime expiresAt) {
    return Envelope.builder()
        .type(MessageType.RESPONSE)
        .from(WEBC)
        .to(DC)
        .timestamp(OffsetDateTime.now(clock))
        .correlationId(request.id())
        .expiresAt(expiresAt)
        .payload(Json.object().put("answer", 42))
        .build();
  }

  @Test
  void respond_thenTakeResponse_returnsItExactlyOnce() {
    Envelope request = request("x");
    Envelope response = responseTo(request, OffsetDateTime.now(clock).plusMinutes(5));

    assertThat(transport.takeResponse(WEBC, request.messageId())).isEmpty();
    transport.respond(WEBC, response);

    assertThat(transport.takeResponse(WEBC, request.messageId())).contains(response);
    assertThat(transport.takeResponse(WEBC, request.messageId())).isEmpty();
  }

  @Test
  void respond_twice_throwsDuplicate() {
    Envelope request = request("x");
    transport.respond(WEBC, responseTo(request, OffsetDateTime.now(clock).plusMinutes(5)));

    assertThatThrownBy(
            () ->
                transport.respond(
                    WEBC, responseTo(request, OffsetDateTime.now(clock).plusMinutes(5))))
        .isInstanceOf(DuplicateMessageException.class);
  }

  @Test
  void respond_withoutCorrelationId_isRejected() {
    Envelope orphan = request("x").toBuilder().type(MessageType.RESPONSE).build();

    assertThatThrownBy(() -> transport.respond(WEBC, orphan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlationId");
  }

  @Test
  void sweepResponses_removesOnlyExpiredResponses() {
    Envelope shortLived = request("a");
    Envelope longLived = request("b");
    transport.respond(WEBC, responseTo(shortLived, OffsetDateTime.now(clock).plusSeconds(10)));
    transport.respond(WEBC, responseTo(longLived, OffsetDateTime.now(clock).plusDays(1)));

    assertThat(transport.sweepResponses(WEBC)).isZero();
    clock.advance(Duration.ofHours(1));

    assertThat(transport.sweepResponses(WEBC)).isEqualTo(1);
    assertThat(transport.takeResponse(WEBC, shortLived.messageId())).isEmpty();
    assertThat(transport.takeResponse(WEBC, longLived.messageId())).isPresent();
  }

  // ------------------------------------------------------------ inspection

  @Test
  void trace_followsARequestToItsResponse() {
    Envelope request = request("x");
    transport.enqueue(WEBC, request);
    Claim claim = claimOne("c1");
    clock.advance(Duration.ofSeconds(1));
    transport.respond(WEBC, responseTo(request, OffsetDateTime.now(clock).plusMinutes(5)));
    transport.ack(claim);
    transport.enqueue(WEBC, request("unrelated"));

    List<TraceEntry> trace = transport.trace(request.id());

    assertThat(trace).extracting(TraceEntry::state).containsExactly("processed", "response");
    assertThat(trace.get(0).envelope().id()).isEqualTo(request.id());
    assertThat(trace.get(1).envelope().correlationId()).isEqualTo(request.id());
    assertThat(transport.trace("NOTHING")).isEmpty();
  }

  @Test
  void stats_countPendingAndClaimed() {
    for (int i = 0; i < 3; i++) {
      transport.enqueue(WEBC, request("n" + i));
    }
    Claim claim = claimOne("c1");

    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(2, 1));
    assertThat(transport.stats(DC)).isEqualTo(new InboxStats(0, 0));
    transport.ack(claim);
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(2, 0));
  }

  @Test
  void describe_saysSomething() {
    assertThat(transport.describe()).isNotBlank();
  }

  private DeadLetter onlyDeadLetter() {
    List<DeadLetter> letters = transport.deadLetters().list();
    assertThat(letters).hasSize(1);
    return letters.get(0);
  }
}
