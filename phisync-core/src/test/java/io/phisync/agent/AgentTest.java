package io.phisync.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phisync.AgentStatus;
import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.Durability;
import io.phisync.spi.InboxStats;
import io.phisync.spi.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path root;
  private PhiSync phi;
  private final List<Agent> agents = new ArrayList<>();

  @BeforeEach
  void open() {
    phi =
        PhiSync.builder(root)
            .durability(Durability.FAST)
            .bus(b -> b.maxAttempts(3).recoveryInterval(Duration.ofMillis(200)))
            .open();
    phi.init(List.of(DC, WEBC));
  }

  @AfterEach
  void close() {
    agents.forEach(a -> a.drain(Duration.ofSeconds(5)));
    phi.close();
  }

  private Agent started(Agent.Builder builder) {
    Agent agent = builder.heartbeatInterval(Duration.ofMillis(200)).build();
    agents.add(agent);
    agent.start();
    return agent;
  }

  private Envelope call(String command, JsonNode payload) throws InterruptedException {
    return phi.bus().call(DC, WEBC, command, payload, WAIT);
  }

  private static JsonNode payload(Envelope e) {
    return Objects.requireNonNull(e.payload());
  }

  private JsonNode stateJson() throws Exception {
    return Json.parse(Files.readString(root.resolve("webc/state.json")));
  }

  @Test
  void request_isAnsweredByItsCommandsHandler() throws Exception {
    started(
        phi.agent(WEBC)
            .handle(
                "research", d -> Json.object().put("topic", d.payload().path("topic").asString()))
            .handle("other", d -> Json.object().put("wrong", true)));

    Envelope response = call("research", Json.object().put("topic", "OAuth2"));

    assertThat(payload(response).get("topic").asString()).isEqualTo("OAuth2");
    assertThat(response.headers()).isNull();
  }

  @Test
  void unknownCommand_getsAnErrorResponseNamingIt() throws Exception {
    started(phi.agent(WEBC).handle("research", d -> Json.object()));

    Envelope response = call("launch-missiles", Json.object());

    assertThat(response.headers()).containsEntry("status", "error");
    assertThat(payload(response).get("error").asString())
        .contains("unknown command 'launch-missiles'")
        .contains("known: research");
    assertThat(phi.bus().deadLetters().list()).isEmpty();
  }

  @Test
  void failingHandler_isRetriedAndItsReasonRecordedUntilItSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Integer> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    Agent agent =
        started(
            phi.agent(WEBC)
                .retryPolicy(
                    RetryPolicy.builder()
                        .maximumAttempts(3)
                        .initialInterval(Duration.ofMillis(10))
                        .build())
                .handle(
                    "flaky",
                    d -> {
                      attempts.add(d.attempt());
                      if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("disk full " + d.attempt());
                      }
                      return Json.object().put("ok", true);
                    }));

    Envelope response = call("flaky", Json.object());

    assertThat(payload(response).get("ok").asBoolean()).isTrue();
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(agent.stats().failed()).isEqualTo(2);
    assertThat(agent.stats().lastError()).contains("disk full 2");
    assertThat(phi.bus().deadLetters().list()).isEmpty();
  }

  @Test
  void handlerFailingEveryAttempt_isDeadLetteredWithItsHistoryAndTheRequesterHearsAtOnce()
      throws Exception {
    started(
        phi.agent(WEBC)
            .retryPolicy(
                RetryPolicy.builder().maximumAttempts(2).initialInterval(Duration.ZERO).build())
            .handle(
                "poison",
                d -> {
                  throw new IllegalArgumentException("cannot parse attempt " + d.attempt());
                }));

    Envelope response = call("poison", Json.object());

    assertThat(response.headers()).containsEntry("status", "error");
    assertThat(payload(response).get("error").asString())
        .contains("failed 2 of 2 attempts")
        .contains("cannot parse attempt 2");
    List<DeadLetter> letters = phi.bus().deadLetters().list();
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).reason()).contains("cannot parse attempt 2");
    assertThat(letters.get(0).history()).hasSize(2);
    assertThat(letters.get(0).history().get(0).reason()).contains("cannot parse attempt 1");
  }

  @Test
  void nonRetryableFailure_isDeadLetteredAtTheFirstAttempt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    started(
        phi.agent(WEBC)
            .retryPolicy(
                RetryPolicy.builder().nonRetryable(UnsupportedOperationException.class).build())
            .handle(
                "never",
                d -> {
                  calls.incrementAndGet();
                  throw new UnsupportedOperationException("not supported here");
                }));

    Envelope response = call("never", Json.object());

    assertThat(payload(response).get("error").asString())
        .contains("non-retryable")
        .contains("not supported here");
    assertThat(calls).hasValue(1);
    assertThat(phi.bus().deadLetters().list()).hasSize(1);
  }

  @Test
  void aMessageAlreadyProcessed_isNotHandledAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    started(phi.agent(WEBC).handle("once", d -> Json.object().put("n", calls.incrementAndGet())));
    Envelope first = phi.bus().sendRequest(DC, WEBC, "once", null, null);
    assertThat(phi.bus().awaitResponse(first, WAIT)).isPresent();

    // The same id again, as a requester's retry or a crashed consumer's copy would bring it.
    phi.transport().enqueue(WEBC, first);
    await().atMost(WAIT).until(() -> phi.transport().stats(WEBC).equals(new InboxStats(0, 0)));

    assertThat(calls).hasValue(1);
  }

  @Test
  void concurrency_bounds_theHandlersRunningAtOnce() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Agent agent =
        started(
            phi.agent(WEBC)
                .concurrency(3)
                .handle(
                    "work",
                    d -> {
                      most.accumulateAndGet(running.incrementAndGet(), Math::max);
                      release.await();
                      running.decrementAndGet();
                      return Json.object();
                    }));
    List<Envelope> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(phi.bus().sendRequest(DC, WEBC, "work", null, null));
    }

    await().atMost(WAIT).until(() -> agent.stats().inFlight() == 3);
    await().atMost(WAIT).until(() -> stateJson().path("inFlight").asInt() == 3);
    assertThat(phi.transport().stats(WEBC).pending()).isEqualTo(3);
    release.countDown();
    for (Envelope request : requests) {
      assertThat(phi.bus().awaitResponse(request, WAIT)).isPresent();
    }
    assertThat(most).hasValue(3);
    await().atMost(WAIT).until(() -> agent.stats().processed() == 6);
  }

  @Test
  void drain_finishesTheWorkInFlightTakesNoMoreAndEndsStopped() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Agent agent =
        started(
            phi.agent(WEBC)
                .handle(
                    "slow",
                    d -> {
                      entered.countDown();
                      release.await();
                      return Json.object().put("done", true);
                    }));
    Envelope inFlight = phi.bus().sendRequest(DC, WEBC, "slow", null, null);
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Boolean> drained =
        CompletableFuture.supplyAsync(() -> agent.drain(Duration.ofSeconds(20)));
    await().atMost(WAIT).until(() -> agent.state() == AgentState.DRAINING);
    await().atMost(WAIT).until(() -> stateJson().path("status").asString().equals("draining"));
    Envelope later = phi.bus().sendRequest(DC, WEBC, "slow", null, null);
    release.countDown();

    assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
    assertThat(phi.bus().awaitResponse(inFlight, WAIT)).isPresent();
    assertThat(phi.transport().pending(WEBC)).extracting(Envelope::id).containsExactly(later.id());
    JsonNode state = stateJson();
    assertThat(state.path("status").asString()).isEqualTo("stopped");
    assertThat(state.path("processed").asLong()).isEqualTo(1);
    assertThat(root.resolve("webc/instances")).isEmptyDirectory();
  }

  @Test
  void stateJson_carriesTheHeartbeatAndTheCodexFields() throws Exception {
    Agent agent = started(phi.agent(WEBC).concurrency(2).handle("x", d -> Json.object()));

    await().atMost(WAIT).until(() -> stateJson().path("status").asString().equals("running"));
    JsonNode state = stateJson();
    assertThat(state.path("agent").asString()).isEqualTo("webc");
    assertThat(state.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(state.path("host").asString()).isNotBlank();
    assertThat(state.path("instance").asString()).isEqualTo(agent.instanceId());
    assertThat(state.path("heartbeatIntervalMillis").asLong()).isEqualTo(200);
    assertThat(state.path("concurrency").asInt()).isEqualTo(2);
    for (String field : List.of("started", "lastHeartbeat", "lastUpdate")) {
      assertThat(state.path(field).isString()).as(field).isTrue();
    }
    assertThat(state.has("lastError")).isTrue();
    String firstBeat = state.path("lastHeartbeat").asString();
    await()
        .atMost(WAIT)
        .until(() -> !stateJson().path("lastHeartbeat").asString().equals(firstBeat));
    assertThat(phi.status())
        .filteredOn(s -> s.agent().equals(WEBC))
        .extracting(AgentStatus::status)
        .containsExactly("running");
  }

  @Test
  void twoInstancesOfOneAgent_competeAndStateJsonAggregatesThem() throws Exception {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    Agent first =
        started(phi.agent(WEBC).handle("n", d -> Json.object().put("by", a.incrementAndGet())));
    Agent second =
        started(phi.agent(WEBC).handle("n", d -> Json.object().put("by", b.incrementAndGet())));
    assertThat(first.instanceId()).isNotEqualTo(second.instanceId());
    await().atMost(WAIT).until(() -> stateJson().path("instances").asInt() == 2);

    List<Envelope> requests = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      requests.add(phi.bus().sendRequest(DC, WEBC, "n", null, null));
    }
    for (Envelope request : requests) {
      assertThat(phi.bus().awaitResponse(request, WAIT)).isPresent();
    }
    assertThat(a.get() + b.get()).isEqualTo(40);
    await().atMost(WAIT).until(() -> stateJson().path("processed").asLong() == 40);

    first.drain(Duration.ofSeconds(5));
    JsonNode state = stateJson();
    assertThat(state.path("status").asString()).isEqualTo("running");
    assertThat(state.path("instances").asInt()).isEqualTo(1);
    try (var files = Files.list(root.resolve("webc/instances"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly(second.instanceId() + ".json");
    }
  }

  @Test
  void status_showsAnAgentWhoseHeartbeatWentStaleAsDown() throws Exception {
    started(phi.agent(WEBC).handle("x", d -> Json.object()));
    await().atMost(WAIT).until(() -> stateJson().path("status").asString().equals("running"));

    MutableClock later = MutableClock.startingNow();
    try (PhiSync observer = PhiSync.builder(root).clock(later).open()) {
      assertThat(statusOf(observer)).isEqualTo("running");
      later.advance(Duration.ofMillis(600 + 2_000)); // Past 3 x 200 ms, with room for slow beats.
      assertThat(statusOf(observer)).isEqualTo("down");
    }
  }

  private static String statusOf(PhiSync observer) {
    return observer.status().stream()
        .filter(s -> s.agent().equals(WEBC))
        .findFirst()
        .orElseThrow()
        .status();
  }

  @Test
  void builder_refusesWhatCannotWork() {
    assertThatThrownBy(() -> phi.agent(WEBC).build()).hasMessageContaining("no handler");
    assertThatThrownBy(() -> phi.agent(WEBC).concurrency(0))
        .hasMessageContaining("concurrency must be at least 1");
    assertThatThrownBy(() -> phi.agent(WEBC).handle("a", d -> null).handle("a", d -> null))
        .hasMessageContaining("'a' has a handler already");
    Agent unknown = phi.agent(AgentName.of("nobody")).handle("a", d -> null).build();
    assertThatThrownBy(unknown::start).hasMessageContaining("unknown agent 'nobody'");
    Agent once = started(phi.agent(WEBC).handle("a", d -> null));
    assertThatThrownBy(once::start).hasMessageContaining("was started before");
  }

  @Test
  void eventFeed_isOpenedAtStartAndClosedAtDrain() {
    AtomicInteger open = new AtomicInteger();
    Agent agent =
        started(
            phi.agent(WEBC)
                .onEvent(
                    name -> {
                      open.incrementAndGet();
                      return open::decrementAndGet;
                    }));
    assertThat(open).hasValue(1);
    agent.drain(Duration.ofSeconds(5));
    assertThat(open).hasValue(0);
  }
}
