package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.Durability;
import io.phisync.spi.InboxStats;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer stalled (SIGSTOP, a long pause) between stamping a lease and renaming the file holds a
 * claim that has already expired; the chaos campaign saw two consumers handle one attempt that way.
 * The stall is simulated by a clock that jumps an hour on every reading.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClaimStallTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path root;
  private final StallingClock clock = new StallingClock();
  private FileTransport transport;

  @BeforeEach
  void open() {
    transport = FileTransportTest.open(root, Durability.FAST, clock);
    transport.initialize(List.of(DC, WEBC));
  }

  @AfterEach
  void close() {
    transport.close();
  }

  @Test
  void aClaimWhoseLeasePassedDuringTheClaim_isNotHandedOut_andRecoveryRedeliversIt() {
    Envelope sent =
        Envelope.builder()
            .type(MessageType.REQUEST)
            .from(DC)
            .to(WEBC)
            .timestamp(OffsetDateTime.now(clock))
            .payload(Json.object().put("command", "x"))
            .build();
    transport.enqueue(WEBC, sent);

    clock.stalling = true;
    boolean handedOut = transport.claim(WEBC, "stalled", LEASE).isPresent();
    clock.stalling = false;

    assertThat(handedOut).isFalse();
    assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 1));
    assertThat(transport.recoverExpired(WEBC, 5)).isEqualTo(1);
    Claim again = transport.claim(WEBC, "next", LEASE).orElseThrow();
    assertThat(again.envelope().id()).isEqualTo(sent.id());
    assertThat(again.attempt()).isEqualTo(2);
  }

  /**
   * The window the chaos campaign still showed after the check above: a consumer stalled after
   * reading the claimed file, before numbering the attempt from the delivery log. Meanwhile (the
   * stall is an in-process hook at {@code claim.read}) another process's lease recovery takes the
   * expired claim over, records the delivery and requeues the message, and another consumer claims
   * it as attempt 2. The stalled consumer, woken with the clock back before its lease's end (only
   * the file moved), would also number its delivery 2: it must hand nothing out.
   */
  @Test
  void aClaimRecoveredWhileItsConsumerStalledBeforeNumberingIt_isNotHandedOut() {
    Envelope sent =
        Envelope.builder()
            .type(MessageType.REQUEST)
            .from(DC)
            .to(WEBC)
            .timestamp(OffsetDateTime.now(clock))
            .payload(Json.object().put("command", "x"))
            .build();
    transport.enqueue(WEBC, sent);
    Claim[] other = new Claim[1];
    try (FileTransport second = FileTransportTest.open(root, Durability.FAST, clock)) {
      CrashPoints.onReach =
          point -> {
            if (!point.equals("claim.read")) {
              return;
            }
            CrashPoints.onReach = null; // Once: the second consumer's claim passes here too.
            Instant before = clock.now;
            clock.now = before.plus(LEASE).plus(LEASE);
            assertThat(second.recoverExpired(WEBC, 5)).isEqualTo(1);
            other[0] = second.claim(WEBC, "other", LEASE).orElseThrow();
            clock.now = before;
          };
      boolean handedOut;
      try {
        handedOut = transport.claim(WEBC, "stalled", LEASE).isPresent();
      } finally {
        CrashPoints.onReach = null;
      }
      assertThat(other[0]).as("the other consumer's claim").isNotNull();
      assertThat(other[0].attempt()).isEqualTo(2);
      assertThat(handedOut).as("the stalled consumer's claim, numbered 2 as well").isFalse();
      assertThat(transport.stats(WEBC)).isEqualTo(new InboxStats(0, 1));
    }
  }

  /** A clock that, while stalling, moves an hour further on with every reading. */
  private static final class StallingClock extends Clock {
    volatile boolean stalling;
    volatile Instant now = Instant.parse("2026-11-24T10:00:00Z");

    @Override
    public Instant instant() {
      if (stalling) {
        now = now.plus(Duration.ofHours(1));
      }
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
