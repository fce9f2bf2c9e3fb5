package io.phisync.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.TopicName;
import io.phisync.spi.Durability;
import io.phisync.spi.MutableClock;
import io.phisync.spi.UnknownAgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class EventsTest {
  private static final AgentName KALIC = AgentName.of("kalic");
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName SUB = AgentName.of("default");
  private static final TopicName ALERTS = TopicName.of("alerts");
  private static final TopicName BUILDS = TopicName.of("builds");

  @TempDir Path root;
  private final MutableClock clock = MutableClock.startingNow();
  private PhiSync phi;

  @BeforeEach
  void open() {
    phi = PhiSync.builder(root).durability(Durability.FAST).clock(clock).open();
    phi.init(List.of(KALIC, DC));
  }

  @AfterEach
  void close() {
    phi.close();
  }

  private Event publish(TopicName topic, String type, Severity severity) {
    return phi.events().publish(topic, KALIC, type, severity, Json.object().put("n", type));
  }

  private List<Event> catchUp(EventFilter filter) {
    List<Event> got = new ArrayList<>();
    phi.events().catchUp(DC, SUB, filter, got::add);
    return got;
  }

  @Test
  void publish_assignsDenseSequencesPerTopic_andWritesTheCodexShape() throws IOException {
    Event first = publish(ALERTS, "vulnerability_found", Severity.HIGH);
    Event second = publish(ALERTS, "scan_done", Severity.INFO);
    Event other = publish(BUILDS, "built", Severity.INFO);
    assertThat(List.of(first.sequence(), second.sequence(), other.sequence()))
        .containsExactly(1L, 2L, 1L);
    var json = Json.parse(Files.readString(root.resolve("shared/events/alerts/000000000001.json")));
    assertThat(json.get("eventType").asString()).isEqualTo("vulnerability_found");
    assertThat(json.get("publisher").asString()).isEqualTo("kalic");
    assertThat(json.get("severity").asString()).isEqualTo("high");
    assertThat(json.get("topic").asString()).isEqualTo("alerts");
    assertThat(json.get("id").asString()).isEqualTo(first.id());
    assertThat(json.has("timestamp")).isTrue();
  }

  @Test
  void catchUp_deliversEachEventOnce_inOrder_andResumesFromTheCursor() {
    for (int i = 0; i < 5; i++) {
      publish(ALERTS, "a" + i, Severity.INFO);
    }
    assertThat(catchUp(EventFilter.all()))
        .extracting(Event::eventType)
        .containsExactly("a0", "a1", "a2", "a3", "a4");
    assertThat(catchUp(EventFilter.all())).isEmpty();
    publish(ALERTS, "a5", Severity.INFO);
    assertThat(catchUp(EventFilter.all())).extracting(Event::eventType).containsExactly("a5");
    assertThat(phi.transport().events().cursor(DC, SUB).orElseThrow().next(ALERTS)).isEqualTo(7);
  }

  @Test
  void filters_byTopicTypeSeverityAndPublisher() {
    publish(ALERTS, "vuln", Severity.HIGH);
    publish(ALERTS, "vuln", Severity.LOW);
    publish(ALERTS, "other", Severity.CRITICAL);
    publish(BUILDS, "vuln", Severity.CRITICAL);
    EventFilter filter =
        EventFilter.topics(ALERTS).withTypes(Set.of("vuln")).withMinSeverity(Severity.MEDIUM);
    assertThat(catchUp(filter)).extracting(Event::sequence).containsExactly(1L);
    assertThat(catchUpAs(AgentName.of("p"), EventFilter.all().withPublishers(Set.of("nobody"))))
        .isEmpty();
  }

  private List<Event> catchUpAs(AgentName name, EventFilter filter) {
    List<Event> got = new ArrayList<>();
    phi.events().catchUp(DC, name, filter, got::add);
    return got;
  }

  @Test
  void severity_scaleIsOrdered_andAliasesAreRead() {
    assertThat(Severity.values())
        .extracting(Severity::wireName)
        .containsExactly("debug", "info", "low", "medium", "warning", "high", "critical");
    assertThat(Severity.parse("WARN")).isEqualTo(Severity.WARNING);
    assertThat(Severity.parse("error")).isEqualTo(Severity.HIGH);
    assertThatThrownBy(() -> Severity.parse("loud")).hasMessageContaining("debug, info");
  }

  @Test
  void subscribe_unknownAgent_isAClearError() {
    assertThatThrownBy(
            () -> phi.events().subscribe(AgentName.of("ghost"), SUB, EventFilter.all(), e -> {}))
        .isInstanceOf(UnknownAgentException.class)
        .hasMessageContaining("ghost");
  }

  @Test
  void subscription_streamsNewEvents_andStopsOnClose() {
    List<Event> got = new CopyOnWriteArrayList<>();
    try (Subscription s = phi.events().subscribe(DC, SUB, EventFilter.all(), got::add)) {
      publish(ALERTS, "one", Severity.INFO);
      publish(BUILDS, "two", Severity.INFO);
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
      assertThat(s.delivered()).isEqualTo(2);
    }
    publish(ALERTS, "three", Severity.INFO);
    assertThat(catchUp(EventFilter.all())).extracting(Event::eventType).containsExactly("three");
  }

  @Test
  void failingHandler_isRetried_thenTheEventIsDeadLettered_andDeliveryGoesOn() {
    publish(ALERTS, "poison", Severity.INFO);
    publish(ALERTS, "fine", Severity.INFO);
    List<String> seen = new ArrayList<>();
    phi.events()
        .catchUp(
            DC,
            SUB,
            EventFilter.all(),
            e -> {
              seen.add(e.eventType());
              if (e.eventType().equals("poison")) {
                throw new IllegalStateException("cannot");
              }
            });
    assertThat(seen).containsExactly("poison", "poison", "poison", "fine");
    assertThat(phi.bus().deadLetters().list())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("failed 3 times", "cannot"));
  }

  @Test
  void retention_removesOldEvents_keepsTheNewest_andACursorBehindSeesAGap() throws IOException {
    for (int i = 0; i < 4; i++) {
      publish(ALERTS, "old" + i, Severity.INFO);
    }
    Path dir = root.resolve("shared/events/alerts");
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.setLastModifiedTime(f, FileTime.from(clock.instant()));
      }
    }
    clock.advance(Duration.ofDays(8));
    publish(ALERTS, "new", Severity.INFO);

    phi.events().sweep(); // Publishing sweeps too, at most every 10 minutes: it already may have.
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".json"))).hasSize(1);
    }
    assertThat(phi.events().list(EventFilter.all(), null, 100))
        .extracting(Event::eventType)
        .containsExactly("new");

    List<long[]> gaps = new ArrayList<>();
    List<Event> got = new ArrayList<>();
    phi.events()
        .catchUp(
            DC,
            SUB,
            EventFilter.all(),
            new EventHandler() {
              @Override
              public void handle(Event event) {
                got.add(event);
              }

              @Override
              public void onGap(TopicName topic, long first, long last) {
                gaps.add(new long[] {first, last});
              }
            });
    // A new subscription starts at the first retained event: no gap for it.
    assertThat(gaps).isEmpty();
    assertThat(got).extracting(Event::sequence).containsExactly(5L);

    // A subscription whose cursor stood at 2 is told that 2..5 are gone.
    clock.advance(Duration.ofDays(8));
    publish(ALERTS, "newer", Severity.INFO);
    phi.transport()
        .events()
        .saveCursor(
            io.phisync.spi.SubscriptionCursor.start(
                    DC, AgentName.of("late"), java.time.OffsetDateTime.now())
                .with(ALERTS, 2, java.time.OffsetDateTime.now()));
    phi.events().sweep();
    phi.events()
        .catchUp(
            DC,
            AgentName.of("late"),
            EventFilter.all(),
            new EventHandler() {
              @Override
              public void handle(Event event) {}

              @Override
              public void onGap(TopicName topic, long first, long last) {
                gaps.add(new long[] {first, last});
              }
            });
    assertThat(gaps).singleElement().isEqualTo(new long[] {2, 5});
  }

  @Test
  void retention_maxPerTopic_keepsTheNewestN() {
    try (PhiSync small =
        PhiSync.builder(root)
            .durability(Durability.FAST)
            .clock(clock)
            .retention(new RetentionPolicy(Duration.ofDays(7), 3))
            .open()) {
      for (int i = 0; i < 6; i++) {
        small.events().publish(ALERTS, KALIC, "e" + i, Severity.INFO, null);
      }
      small.events().sweep();
      assertThat(small.events().list(EventFilter.all(), null, 100))
          .extracting(Event::sequence)
          .containsExactly(4L, 5L, 6L);
    }
  }

  @Test
  void unknownFields_areKept() throws IOException {
    Path drop = root.resolve("shared/events/x.json");
    Files.writeString(
        drop,
        "{\"eventType\":\"t\",\"publisher\":\"ps\",\"custom\":{\"k\":1},\"data\":[1,2]}",
        StandardCharsets.UTF_8);
    List<Event> got = catchUp(EventFilter.all());
    assertThat(got)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.extra()).containsKey("custom");
              assertThat(e.toJson().get("custom").get("k").asInt()).isEqualTo(1);
              assertThat(e.topic()).isEqualTo(TopicName.DEFAULT);
            });
  }

  @Test
  void anAgent_reactsToEvents_throughADurableSubscriptionAsItsEventFeed() {
    List<Event> got = new CopyOnWriteArrayList<>();
    try (io.phisync.agent.Agent agent =
        phi.agent(DC)
            .handle("noop", d -> Json.object())
            .onEvent(
                a ->
                    phi.events()
                        .subscribe(a, AgentName.of("alerts"), EventFilter.topics(ALERTS), got::add))
            .build()) {
      agent.start();
      publish(ALERTS, "vulnerability_found", Severity.HIGH);
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
    }
    assertThat(phi.transport().events().cursor(DC, AgentName.of("alerts"))).isPresent();
  }
}
