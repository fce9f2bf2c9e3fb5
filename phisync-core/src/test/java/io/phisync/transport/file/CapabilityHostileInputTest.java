package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.PhiSync;
import io.phisync.events.Event;
import io.phisync.events.EventFilter;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.Durability;
import io.phisync.spi.MutableClock;
import io.phisync.stream.NewEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Hostile and broken input to the capabilities' readers: foreign event files (the event reader),
 * state revision files and stream commit files. Whatever the bytes, the reader answers a value or a
 * runtime exception that says what is wrong (a foreign event file is dead-lettered with it); no
 * {@link Error} escapes, and every other key, stream and event is still read and written.
 */
class CapabilityHostileInputTest {
  private static final String EVENT =
      "{\"eventType\":\"vulnerability_found\",\"publisher\":\"kalic\",\"severity\":\"high\","
          + "\"topic\":\"alerts\",\"data\":{\"type\":\"SQL_INJECTION\",\"line\":[1,2]}}";
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static @org.jspecify.annotations.Nullable Path shared;
  private static @org.jspecify.annotations.Nullable PhiSync sharedPhi;

  /** One root for the file properties (each try uses its own key or stream). */
  private static synchronized PhiSync phi() throws IOException {
    if (sharedPhi == null) {
      shared = Files.createTempDirectory("phisync-hostile");
      sharedPhi = PhiSync.builder(shared.resolve("root")).durability(Durability.FAST).open();
      sharedPhi.init(List.of(AgentName.of("dc")));
      sharedPhi.state().put("good/k", StringNode.valueOf("kept"));
    }
    return sharedPhi;
  }

  private static Path root() throws IOException {
    return phi().root();
  }

  @AfterContainer
  static void closeShared() throws IOException {
    if (sharedPhi != null) {
      sharedPhi.close();
      try (var paths = Files.walk(java.util.Objects.requireNonNull(shared))) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      sharedPhi = null;
    }
  }

  // ------------------------------------------------------------ the event reader, in memory

  /** Normalizes a foreign event file, accepting only an event or a runtime error with a reason. */
  private static void eventOrSaysWhy(byte[] bytes) {
    try {
      ObjectNode event = ForeignEvents.normalize(bytes, "drop.json", NOW);
      assertThat(event.get("eventType").asString()).isNotBlank();
      assertThat(event.get("topic").asString()).isNotBlank();
      assertThat(event.get("id").asString()).isNotBlank();
    } catch (RuntimeException e) {
      assertThat(e.getMessage()).as("the reason of %s", e).isNotBlank();
    }
  }

  @Property(tries = 500)
  void foreignEvent_randomBytes_areAnEventOrAClearError(@ForAll @Size(max = 2000) byte[] bytes) {
    eventOrSaysWhy(bytes);
  }

  @Property(tries = 300)
  void foreignEvent_mutated_isAnEventOrAClearError(
      @ForAll @IntRange(min = 0, max = 200) int at, @ForAll byte value) {
    byte[] bytes = EVENT.getBytes(StandardCharsets.UTF_8);
    bytes[at % bytes.length] = value;
    eventOrSaysWhy(bytes);
  }

  @Property(tries = 200)
  void foreignEvent_truncated_isRefused(@ForAll @IntRange(min = 0, max = 1000) int cut) {
    byte[] whole = EVENT.getBytes(StandardCharsets.UTF_8);
    byte[] part = Arrays.copyOf(whole, cut % whole.length);
    assertThatThrownBy(() -> ForeignEvents.normalize(part, "drop.json", NOW))
        .isInstanceOf(RuntimeException.class)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
  }

  @Property(tries = 30)
  void foreignEvent_deepNesting_isRefusedWithTheLimitNamed(@ForAll("depths") int depth) {
    String json = EVENT.replace("[1,2]", "[".repeat(depth) + "]".repeat(depth));
    assertThatThrownBy(
            () -> ForeignEvents.normalize(json.getBytes(StandardCharsets.UTF_8), "d.json", NOW))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("nesting depth");
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.integers().between(Json.MAX_NESTING_DEPTH + 1, 20_000);
  }

  @Property(tries = 100)
  void foreignEvent_hostileTopicOrId_isRefused(@ForAll("hostileNames") String name) {
    for (String field : List.of("topic", "id")) {
      ObjectNode event = (ObjectNode) Json.parse(EVENT);
      event.put(field, name);
      byte[] bytes = Json.compact(event).getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> ForeignEvents.normalize(bytes, "t.json", NOW))
          .as("%s %s", field, name)
          .isInstanceOf(RuntimeException.class)
          .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
  }

  @Provide
  Arbitrary<String> hostileNames() {
    Arbitrary<String> prefix = Arbitraries.strings().alpha().ofMaxLength(5);
    Arbitrary<String> bad =
        Arbitraries.of("../", "..\\", "/", "\\", ":", "\u0000", "/etc/passwd", "..", "a/../../b");
    return net.jqwik.api.Combinators.combine(prefix, bad, prefix).as((a, b, c) -> a + b + c);
  }

  @Example
  void foreignEvent_invalidUtf8_isRefused_neverReplaced() {
    byte[] head = "{\"eventType\":\"x\",\"data\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = Arrays.copyOf(head, head.length + 4);
    bytes[head.length] = (byte) 0xC3;
    bytes[head.length + 1] = (byte) 0x28; // Not a continuation byte.
    bytes[head.length + 2] = '"';
    bytes[head.length + 3] = '}';
    assertThatThrownBy(() -> ForeignEvents.normalize(bytes, "u.json", NOW))
        .isInstanceOf(RuntimeException.class)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
  }

  // ------------------------------------------------- foreign event files on a real root

  @Example
  void foreignEventFiles_garbageIsDeadLettered_linksAreNotFollowedOut_theGoodOneIsDelivered()
      throws IOException {
    Path dir = Files.createTempDirectory("phisync-hostile-events");
    MutableClock clock = MutableClock.startingNow();
    try (PhiSync phi =
        PhiSync.builder(dir.resolve("root")).durability(Durability.FAST).clock(clock).open()) {
      phi.init(List.of(AgentName.of("dc")));
      Path drop = dir.resolve("root/shared/events");
      Path outside = dir.resolve("outside.json");
      String secret = EVENT.replace("vulnerability_found", "secret_outside_the_root");
      Files.writeString(outside, secret);
      Files.createSymbolicLink(drop.resolve("link-out.json"), outside);
      Files.createSymbolicLink(drop.resolve("link-passwd.json"), Path.of("/etc/passwd"));
      Files.write(drop.resolve("random.json"), new byte[] {0, (byte) 0xFF, 17, '{', '['});
      Files.writeString(drop.resolve("truncated.json"), EVENT.substring(0, 30));
      Files.writeString(drop.resolve("deep.json"), "[".repeat(5000) + "]".repeat(5000));
      Files.writeString(drop.resolve("traversal.json"), EVENT.replace("alerts", "../../etc"));
      byte[] big = new byte[9 * 1024 * 1024];
      Arrays.fill(big, (byte) ' ');
      byte[] head = EVENT.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(head, 0, big, 0, head.length);
      Files.write(drop.resolve("oversize.json"), big);
      Files.writeString(drop.resolve("good.json"), EVENT);

      clock.advance(Duration.ofSeconds(30)); // Past the grace a writer gets to finish a file.
      List<Event> got = new ArrayList<>();
      phi.events()
          .catchUp(AgentName.of("dc"), AgentName.of("default"), EventFilter.all(), got::add);

      assertThat(got)
          .as("only the good file is an event; no link is followed out of the root")
          .extracting(Event::eventType)
          .containsExactly("vulnerability_found");
      assertThat(outside).as("the link's target is left alone").hasContent(secret);
      List<String> reasons =
          phi.bus().deadLetters().list().stream().map(d -> d.source() + ": " + d.reason()).toList();
      assertThat(reasons)
          .as("dead letters")
          .anySatisfy(r -> assertThat(r).startsWith("shared/events/random.json"))
          .anySatisfy(r -> assertThat(r).startsWith("shared/events/truncated.json"))
          .anySatisfy(r -> assertThat(r).startsWith("shared/events/deep.json"))
          .anySatisfy(r -> assertThat(r).startsWith("shared/events/traversal.json"))
          .anySatisfy(r -> assertThat(r).startsWith("shared/events/link-out.json: not a regular"))
          .anySatisfy(r -> assertThat(r).startsWith("shared/events/link-passwd.json: not a regul"))
          .anySatisfy(r -> assertThat(r).contains("oversize.json: message of 9437184 bytes"));
      assertThat(outside).as("the target of a link is never moved").exists();
      assertThat(Path.of("/etc/passwd")).exists();
      assertThat(phi.bus().deadLetters().list()).allSatisfy(CapabilityHostileInputTest::hasReason);
      System.out.println(
          "foreign event files: delivered " + got.size() + ", dead letters " + reasons);
    }
  }

  private static void hasReason(DeadLetter d) {
    assertThat(d.reason()).isNotBlank();
  }

  // -------------------------------------------------- state revisions and stream commits

  /** Reads a key whose revision file holds {@code bytes}: a value or a runtime error. */
  @Property(tries = 60)
  void stateRevisionFile_garbage_isAValueOrAClearError_andOtherKeysAreFine(
      @ForAll("garbage") byte[] bytes) throws IOException {
    PhiSync phi = phi();
    String key = "bad/k" + NEXT.incrementAndGet();
    Path revs = root().resolve("shared/state/" + key + ".revs");
    Files.createDirectories(revs);
    Files.write(revs.resolve("rev-000000000001.json"), bytes);
    try {
      phi.state().get(key);
    } catch (RuntimeException e) {
      assertThat(e.getMessage()).as("the reason of %s", e).isNotBlank();
    }
    assertThat(phi.state().get("good/k").orElseThrow().valueOrThrow().asString()).isEqualTo("kept");
    assertThat(phi.state().put("good/other", StringNode.valueOf(key)).revision()).isPositive();
  }

  @Property(tries = 40)
  void streamCommitFile_garbage_isAValueOrAClearError_andOtherStreamsAreFine(
      @ForAll("garbage") byte[] bytes) throws IOException {
    PhiSync phi = phi();
    String stream = "bad-s" + NEXT.incrementAndGet();
    Path commits = root().resolve("shared/streams/" + stream + ".events");
    Files.createDirectories(commits);
    Files.write(commits.resolve("commit-000000000001.json"), bytes);
    try {
      phi.streams().version(stream);
      phi.streams().read(stream, 1, 10);
    } catch (RuntimeException e) {
      assertThat(e.getMessage()).as("the reason of %s", e).isNotBlank();
    }
    String good = "good-s" + NEXT.incrementAndGet();
    assertThat(phi.streams().append(good, List.of(new NewEvent("ok", Json.object())), 0))
        .isEqualTo(1);
    assertThat(phi.streams().read(good, 1, 10)).hasSize(1);
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(500);
    String valid =
        "{\"key\":\"k\",\"revision\":1,\"committed\":\"2026-01-02T03:04:05Z\",\"deleted\":false,"
            + "\"value\":{\"a\":[1,2]},\"events\":[{\"type\":\"t\",\"data\":{}}]}";
    Arbitrary<byte[]> truncated =
        Arbitraries.integers()
            .between(0, valid.length() - 1)
            .map(n -> valid.substring(0, n).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> deep =
        Arbitraries.integers()
            .between(Json.MAX_NESTING_DEPTH + 1, 5000)
            .map(
                d ->
                    ("{\"value\":" + "[".repeat(d) + "]".repeat(d) + "}")
                        .getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> invalidUtf8 =
        Arbitraries.just(new byte[] {'{', '"', 'v', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'});
    return Arbitraries.oneOf(random, truncated, deep, invalidUtf8);
  }

  @Example
  void stateRevisionLinkedOutOfTheRoot_isNeverWrittenThrough() throws IOException {
    PhiSync phi = phi();
    String key = "linked/k" + NEXT.incrementAndGet();
    Path outside = phi.root().resolveSibling("outside-" + key.replace('/', '-') + ".json");
    String secret = "{\"key\":\"" + key + "\",\"revision\":1,\"deleted\":false,\"value\":\"x\"}";
    Files.writeString(outside, secret);
    Path revs = root().resolve("shared/state/" + key + ".revs");
    Files.createDirectories(revs);
    Files.createSymbolicLink(revs.resolve("rev-000000000001.json"), outside);
    Files.createSymbolicLink(root().resolve("shared/state/" + key + ".json"), outside);
    try {
      phi.state().put(key, StringNode.valueOf("written"));
    } catch (RuntimeException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    assertThat(outside).as("the link's target is never written through").hasContent(secret);
  }
}
