package io.phisync.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.Durability;
import io.phisync.spi.InboxStats;
import io.phisync.spi.MutableClock;
import io.phisync.transport.file.FileTransport;
import io.phisync.transport.file.FileTransportConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that real foreign writers produce, dropped straight into an inbox, read through the bus.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForeignWritersTest {
  private static final AgentName WEBC = AgentName.of("webc");
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final String GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
  private static final String CODEX_REQUEST =
      "{\n  \"id\": \""
          + GUID
          + "\",\n  \"timestamp\": \"2025-11-15T10:30:00.1234567-05:00\",\n"
          + "  \"from\": \"dc\",\n  \"to\": \"webc\",\n  \"type\": \"request\",\n"
          + "  \"payload\": {\"command\": \"research\", \"topic\": \"Caf\u00e9 OAuth2\"}\n}\n";

  @TempDir Path root;
  private final MutableClock clock = MutableClock.startingNow();
  private MessageBus bus;
  private Path inbox;

  @BeforeEach
  void open() {
    FileTransport files =
        FileTransport.open(
            FileTransportConfig.builder(root)
                .durability(Durability.FAST)
                .malformedGrace(GRACE)
                .clock(clock)
                .build());
    files.initialize(List.of(AgentName.of("dc"), WEBC));
    bus = MessageBus.over(files, BusOptions.builder().clock(clock).build());
    inbox = root.resolve("webc/inbox");
  }

  @AfterEach
  void close() {
    bus.close();
  }

  private Optional<Claim> receiveNow() throws InterruptedException {
    return bus.receive(WEBC, Duration.ZERO);
  }

  private Envelope deliveredOnly() throws InterruptedException {
    Claim claim = receiveNow().orElseThrow();
    bus.ack(claim);
    assertThat(receiveNow()).isEmpty();
    assertThat(bus.deadLetters().list()).isEmpty();
    return claim.envelope();
  }

  private static void assertCodexRequest(Envelope e) {
    assertThat(e.id()).isEqualTo(GUID);
    assertThat(e.type()).isEqualTo(MessageType.REQUEST);
    assertThat(e.from()).isEqualTo("dc");
    assertThat(e.timestamp()).isEqualTo(OffsetDateTime.parse("2025-11-15T10:30:00.1234567-05:00"));
    assertThat(e.command()).contains("research");
    assertThat(Objects.requireNonNull(e.payload()).path("topic").asString())
        .isEqualTo("Caf\u00e9 OAuth2");
  }

  private static byte[] withBom(int[] bom, byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b : bom) {
      out.write(b);
    }
    out.writeBytes(text);
    return out.toByteArray();
  }

  @Test
  void utf8WithBomAndCrlf_isDelivered() throws Exception {
    Files.write(
        inbox.resolve("req-" + GUID + ".json"),
        withBom(
            new int[] {0xEF, 0xBB, 0xBF},
            CODEX_REQUEST.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));

    assertCodexRequest(deliveredOnly());
  }

  @Test
  void utf16LittleEndianWithBom_isDelivered() throws Exception {
    Files.write(
        inbox.resolve("req-" + GUID + ".json"),
        withBom(
            new int[] {0xFF, 0xFE},
            CODEX_REQUEST.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_16LE)));

    assertCodexRequest(deliveredOnly());
  }

  @Test
  void utf16BigEndianWithBom_isDelivered() throws Exception {
    Files.write(
        inbox.resolve("req-" + GUID + ".json"),
        withBom(new int[] {0xFE, 0xFF}, CODEX_REQUEST.getBytes(StandardCharsets.UTF_16BE)));

    assertCodexRequest(deliveredOnly());
  }

  @Test
  void codexFileWithoutTypeOrTimestamp_isDeliveredUnderItsFileNameId() throws Exception {
    Files.writeString(
        inbox.resolve("req-codex-42.json"), "{\"payload\": {\"command\": \"status\"}}");

    Envelope e = deliveredOnly();

    assertThat(e.id()).isEqualTo("codex-42");
    assertThat(e.type()).isNull();
    assertThat(e.timestamp()).isNull();
    assertThat(e.command()).contains("status");
  }

  @Test
  void fileWrittenInTwoPieces_withinTheGrace_isDeliveredNotDeadLettered() throws Exception {
    byte[] whole = CODEX_REQUEST.getBytes(StandardCharsets.UTF_8);
    int half = whole.length / 2;
    Path file = inbox.resolve("req-" + GUID + ".json");
    Files.write(file, java.util.Arrays.copyOfRange(whole, 0, half));

    assertThat(receiveNow()).isEmpty(); // It tried, and gave the half file back.
    assertThat(bus.transport().stats(WEBC)).isEqualTo(new InboxStats(1, 0));
    clock.advance(GRACE.minusSeconds(1));
    assertThat(receiveNow()).isEmpty();

    Files.write(
        file, java.util.Arrays.copyOfRange(whole, half, whole.length), StandardOpenOption.APPEND);

    assertCodexRequest(deliveredOnly());
  }

  @Test
  void malformedFile_afterTheGrace_isDeadLetteredWithItsReason_andNothingElseIsAffected()
      throws Exception {
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(bus.sendRequest(AgentName.of("dc"), WEBC, "n" + i, null, null).id());
    }
    Files.writeString(inbox.resolve("req-broken.json"), "{\"id\": \"broken\", \"payload\": {");

    List<String> delivered = new ArrayList<>();
    Optional<Claim> claim;
    while ((claim = receiveNow()).isPresent()) {
      delivered.add(claim.get().envelope().id());
      bus.ack(claim.get());
    }
    assertThat(delivered).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(bus.deadLetters().list()).isEmpty(); // Still within its grace.

    clock.advance(GRACE.plusSeconds(1));
    assertThat(receiveNow()).isEmpty();

    List<DeadLetter> letters = bus.deadLetters().list();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.reason()).startsWith("malformed message").contains("not valid JSON");
    assertThat(letter.source()).isEqualTo("webc/inbox/req-broken.json");
    assertThat(letter.originalText()).isEqualTo("{\"id\": \"broken\", \"payload\": {");
    assertThat(bus.transport().stats(WEBC)).isEqualTo(new InboxStats(0, 0));
    for (String id : sent) {
      assertThat(bus.transport().isProcessed(WEBC, io.phisync.protocol.MessageId.of(id))).isTrue();
    }
  }

  @Test
  void oversizedFile_isDeadLetteredAndKeptWhole_andNothingElseIsAffected() throws Exception {
    String sent = bus.sendRequest(AgentName.of("dc"), WEBC, "small", null, null).id();
    byte[] huge = new byte[io.phisync.protocol.EnvelopeCodec.MAX_MESSAGE_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    Files.write(inbox.resolve("req-huge.json"), huge);

    List<String> delivered = new ArrayList<>();
    Optional<Claim> claim;
    while ((claim = receiveNow()).isPresent()) {
      delivered.add(claim.get().envelope().id());
      bus.ack(claim.get());
    }

    assertThat(delivered).containsExactly(sent);
    List<DeadLetter> letters = bus.deadLetters().list();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.reason()).contains("over the limit").contains(".data");
    assertThat(letter.messageId()).isEqualTo("huge");
    Path kept = root.resolve("dlq/" + letter.entryId() + ".data");
    assertThat(Files.size(kept)).isEqualTo(huge.length);
    assertThat(bus.transport().stats(WEBC)).isEqualTo(new InboxStats(0, 0));

    assertThat(bus.deadLetters().purge(letter.entryId())).isTrue();
    assertThat(kept).doesNotExist();
  }
}
