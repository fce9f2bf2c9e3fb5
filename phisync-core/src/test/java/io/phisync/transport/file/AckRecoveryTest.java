package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.Durability;
import io.phisync.spi.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim whose id is already recorded as processed: what a crash leaves of an ack. Lease recovery
 * finishes the ack instead of delivering the message again or dead-lettering it for its attempts.
 */
@Timeout(30)
class AckRecoveryTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final MutableClock clock = MutableClock.startingNow();

  @TempDir Path root;
  private FileTransport transport;

  @BeforeEach
  void open() {
    transport = FileTransportTest.open(root, Durability.DURABLE, clock);
    transport.initialize(List.of(DC, WEBC));
  }

  @Test
  void anAckStoppedAfterRecordingTheId_isFinishedByRecovery_evenAtTheLastAttempt()
      throws Exception {
    Envelope sent = message();
    transport.enqueue(WEBC, sent);
    Claim claim = transport.claim(WEBC, "crashed", LEASE).orElseThrow();
    // The ack's first step, as the ack makes it, and then the consumer is gone.
    Path claimed = root.resolve("webc/claimed").resolve(claim.handle());
    Files.createDirectories(root.resolve("webc/processed-ids"));
    Files.createLink(root.resolve("webc/processed-ids").resolve(sent.id()), claimed);
    clock.advance(LEASE.plusSeconds(1));

    assertThat(transport.recoverExpired(WEBC, 1)).isZero();

    assertThat(transport.claim(WEBC, "again", LEASE)).isEmpty();
    assertThat(files(root.resolve("dlq"))).isEmpty();
    assertThat(files(root.resolve("webc/claimed"))).isEmpty();
    assertThat(files(processedToday())).hasSize(1);
    assertThat(transport.isProcessed(WEBC, MessageId.of(sent.id()))).isTrue();
  }

  @Test
  void anAckWhoseUnlinkACrashUndid_leavesOneKeptCopy_andIsNotDeliveredAgain() throws Exception {
    Envelope sent = message();
    transport.enqueue(WEBC, sent);
    Claim claim = transport.claim(WEBC, "c1", LEASE).orElseThrow();
    Path claimed = root.resolve("webc/claimed").resolve(claim.handle());
    transport.ack(claim);
    // The ack forces processed/ and the id, not claimed/: a machine crash may bring the claim
    // back, as a second name of the file the ack kept.
    List<Path> kept = files(processedToday());
    assertThat(kept).hasSize(1);
    Files.createLink(claimed, kept.get(0));
    clock.advance(LEASE.plusSeconds(1));

    assertThat(transport.recoverExpired(WEBC, 1)).isZero();

    assertThat(transport.claim(WEBC, "again", LEASE)).isEmpty();
    assertThat(files(root.resolve("dlq"))).isEmpty();
    assertThat(files(root.resolve("webc/claimed"))).isEmpty();
    assertThat(files(processedToday())).containsExactlyElementsOf(kept);
  }

  @Test
  void anAckWhoseRecordACrashUndid_keepsTheFileOnce_whenItIsAcknowledgedAgain() throws Exception {
    Envelope sent = message();
    transport.enqueue(WEBC, sent);
    Claim claim = transport.claim(WEBC, "c1", LEASE).orElseThrow();
    // A machine crash before the ack's directories were forced may keep the ack's link into
    // processed/ and lose the id it recorded: the claim is still there, and is delivered again.
    Path claimed = root.resolve("webc/claimed").resolve(claim.handle());
    Path day = Files.createDirectories(processedToday());
    Files.createLink(day.resolve(claimed.getFileName().toString().split("~", 2)[1]), claimed);
    clock.advance(LEASE.plusSeconds(1));
    assertThat(transport.recoverExpired(WEBC, 5)).isOne();

    Claim again = transport.claim(WEBC, "c2", LEASE).orElseThrow();
    assertThat(again.attempt()).isEqualTo(2);
    transport.ack(again);

    assertThat(files(processedToday())).hasSize(1);
    assertThat(files(root.resolve("webc/claimed"))).isEmpty();
    assertThat(transport.isProcessed(WEBC, MessageId.of(sent.id()))).isTrue();
  }

  private Envelope message() {
    return Envelope.builder()
        .type(MessageType.NOTIFICATION)
        .from(DC)
        .to(WEBC)
        .timestamp(OffsetDateTime.now(clock))
        .build();
  }

  private Path processedToday() {
    return root.resolve("webc/inbox/processed").resolve(LocalDate.now(clock).toString());
  }

  /** The regular files directly in {@code dir} (none when it does not exist). */
  private static List<Path> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
