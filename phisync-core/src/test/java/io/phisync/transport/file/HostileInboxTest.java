package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile entries in an inbox: links out of the root, FIFOs, directories, garbage, oversized files.
 * Each is dead-lettered with its reason (or, for a directory, left alone); no link is followed, no
 * file outside the root is read, stamped or moved; the consumer never fails; every real message
 * beside them is delivered once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInboxTest {
  private static final AgentName WEBC = AgentName.of("webc");
  private static final Duration LEASE = Duration.ofMinutes(1);

  @TempDir Path dir;
  private Path root;
  private Path outside;
  private FileTransport transport;

  @BeforeEach
  void open() throws IOException {
    root = dir.resolve("root");
    outside = dir.resolve("outside");
    Files.createDirectories(outside);
    transport =
        FileTransport.open(
            FileTransportConfig.builder(root)
                .durability(Durability.FAST)
                .malformedGrace(Duration.ZERO)
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)))
                .build());
    transport.initialize(List.of(WEBC));
  }

  @AfterEach
  void closeRoot() {
    transport.close();
  }

  private Path inbox() {
    return root.resolve("webc/inbox");
  }

  private static Envelope message(String id) {
    return Envelope.builder()
        .id(MessageId.of(id))
        .type(MessageType.REQUEST)
        .from(AgentName.of("dc"))
        .to(WEBC)
        .timestamp(OffsetDateTime.now())
        .payload(Json.object().put("command", "x"))
        .build();
  }

  /** Claims and acks everything; returns the ids delivered. */
  private List<String> drain() {
    List<String> ids = new ArrayList<>();
    Optional<Claim> claim;
    while ((claim = transport.claim(WEBC, "test", LEASE)).isPresent()) {
      ids.add(claim.get().envelope().id());
      transport.ack(claim.get());
    }
    return ids;
  }

  private String dlqText() throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.walk(root.resolve("dlq"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        text.append(Files.readString(f, StandardCharsets.ISO_8859_1));
      }
    }
    return text.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"secret-envelope", "/etc/passwd", "directory", "dangling"})
  void aLinkOutOfTheRoot_isDeadLetteredUnfollowed(String kind) throws Exception {
    Path target =
        switch (kind) {
          case "secret-envelope" -> {
            // The worst case: the target even parses as a message.
            Path secret = outside.resolve("secret.json");
            Files.write(secret, EnvelopeCodec.encode(message("secret")));
            Files.setLastModifiedTime(secret, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
            yield secret;
          }
          case "/etc/passwd" -> Path.of("/etc/passwd");
          case "directory" -> outside;
          default -> outside.resolve("missing.json");
        };
    FileTime before = Files.exists(target) ? Files.getLastModifiedTime(target) : null;
    Files.createSymbolicLink(inbox().resolve("req-evil.json"), target);
    transport.enqueue(WEBC, message("good"));

    assertThat(drain()).containsExactly("good");

    List<DeadLetter> letters = transport.deadLetters().list();
    assertThat(letters)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.reason()).contains("symbolic link", target.toString(), "never followed");
              assertThat(l.messageId()).isEqualTo("evil");
            });
    assertThat(dlqText()).doesNotContain("secret\"", "root:");
    assertThat(
            Files.exists(inbox().resolve("req-evil.json"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
    if (before != null) {
      assertThat(Files.getLastModifiedTime(target)).as("target untouched").isEqualTo(before);
    }
    if (kind.equals("secret-envelope")) {
      assertThat(Files.exists(target)).isTrue();
    }
  }

  @Test
  void aFifo_isDeadLetteredWithoutBeingOpened() throws Exception {
    Path fifo = inbox().resolve("req-pipe.json");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();
    transport.enqueue(WEBC, message("good"));

    assertThat(drain()).containsExactly("good");
    assertThat(transport.deadLetters().list())
        .singleElement()
        .satisfies(l -> assertThat(l.reason()).contains("FIFO"));
  }

  @Test
  void aDirectoryNamedLikeAMessage_isLeftAlone() throws Exception {
    Files.createDirectories(inbox().resolve("req-dir.json"));
    transport.enqueue(WEBC, message("good"));

    assertThat(drain()).containsExactly("good");
    assertThat(transport.deadLetters().list()).isEmpty();
    assertThat(inbox().resolve("req-dir.json")).isDirectory();
  }

  @Test
  void anOversizedFile_isDeadLetteredWithTheLimit_andKeptAside() throws Exception {
    Path big = inbox().resolve("req-big.json");
    try (var channel =
        java.nio.channels.FileChannel.open(
            big,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {'{'}), EnvelopeCodec.MAX_MESSAGE_BYTES);
    }
    transport.enqueue(WEBC, message("good"));

    assertThat(drain()).containsExactly("good");
    assertThat(transport.deadLetters().list())
        .singleElement()
        .satisfies(l -> assertThat(l.reason()).contains("over the limit"));
  }

  /** Seeded garbage beside real messages: each real one delivered once, each bad one a letter. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void garbageBesideRealMessages_isDeadLetteredAndNothingElseIsLost(long seed) throws Exception {
    Random random = new Random(seed);
    Set<String> sent = new HashSet<>();
    int bad = 0;
    byte[] valid = EnvelopeCodec.encode(message("template"));
    for (int i = 0; i < 40; i++) {
      if (random.nextBoolean()) {
        String id = "m" + i;
        transport.enqueue(WEBC, message(id));
        sent.add(id);
        continue;
      }
      byte[] bytes =
          switch (random.nextInt(4)) {
            case 0 -> randomBytes(random, random.nextInt(300));
            case 1 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length - 1));
            case 2 ->
                ("{\"id\":\"x" + i + "\",\"payload\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            default -> new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '"', '}'};
          };
      Files.write(inbox().resolve("req-bad" + i + ".json"), bytes);
      bad++;
    }

    assertThat(new HashSet<>(drain())).isEqualTo(sent);
    assertThat(transport.deadLetters().list())
        .hasSize(bad)
        .allSatisfy(l -> assertThat(l.reason()).startsWith("malformed message: "));
    assertThat(transport.stats(WEBC).pending()).isZero();
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
