package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.spi.Claim;
import io.phisync.spi.Durability;
import io.phisync.spi.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash points: a child JVM runs one enqueue, claim, ack or nack and is halted ({@code
 * Runtime.halt}, as abrupt as {@code kill -9}) at one step of it. On restart (with a clock past
 * every lease) the root holds the old state or the new one, every file parses, and nothing that was
 * enqueued or acknowledged when the operation returned is lost.
 */
class CrashPointsTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");

  @TempDir Path dir;

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of("enqueue", "createNew.tempWritten"),
        Arguments.of("enqueue", "createNew.linked"),
        Arguments.of("enqueue", "enqueue.written"),
        Arguments.of("enqueue", "none"),
        Arguments.of("claim", "claim.renamed"),
        Arguments.of("claim", "none"),
        Arguments.of("ack", "ack.markedProcessed"),
        Arguments.of("ack", "ack.linked"),
        Arguments.of("ack", "ack.moved"),
        Arguments.of("ack", "none"),
        Arguments.of("nack", "nack.takenOver"),
        Arguments.of("nack", "fail.recorded"),
        Arguments.of("nack", "move.linked"),
        Arguments.of("nack", "none"));
  }

  @ParameterizedTest(name = "{0} halted at {1}")
  @MethodSource("points")
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void haltedAtEachStep_leavesOldOrNewState_andLosesNothing(String op, String point)
      throws Exception {
    Path root = dir.resolve("root");
    String sent = null;
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      phi.init(List.of(DC, WEBC));
      if (!op.equals("enqueue")) {
        sent = phi.bus().sendRequest(DC, WEBC, "crash", null, null).id();
      }
    }
    Path result = dir.resolve("result");
    Process child = CrashRuns.runToEnd(CrashChild.class, point, dir, root, op, result);
    int expected = point.equals("none") ? 0 : CrashPoints.HALT_STATUS;
    assertThat(child.exitValue()).as("exit status; log: %s", log()).isEqualTo(expected);
    assertThat(Files.exists(result)).as("returned").isEqualTo(point.equals("none"));
    if (op.equals("enqueue") && Files.exists(result)) {
      sent = Files.readString(result);
    }

    assertEveryFileParses(root);
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).clock(later).open()) {
      Transport transport = phi.transport();
      transport.recoverExpired(WEBC, 100);
      assertThat(phi.bus().deadLetters().list()).as("dead letters").isEmpty();
      Optional<Claim> again = transport.claim(WEBC, "restart", Duration.ofMinutes(5));
      if (sent == null) {
        // An enqueue that never returned: either nothing was written or the whole message was.
        again.ifPresent(c -> assertThat(c.envelope().payload()).isNotNull());
        assertThat(transport.claim(WEBC, "restart", Duration.ofMinutes(5))).isEmpty();
        return;
      }
      MessageId id = MessageId.of(sent);
      boolean acked = op.equals("ack") && point.equals("none");
      if (acked) {
        assertThat(transport.isProcessed(WEBC, id)).as("acked is processed").isTrue();
        assertThat(again).as("an acknowledged message is not delivered again").isEmpty();
      } else if (again.isPresent()) {
        assertThat(again.get().envelope().id()).isEqualTo(sent);
        // A nack halted between the link and the unlink of its move back leaves the file under
        // both names: both are delivered, with the same id, and the bus's processed-id check
        // drops the copy. (An ack halted there has recorded the id: it is finished instead.)
        int copies = 1;
        while (transport.claim(WEBC, "restart", Duration.ofMinutes(5)).isPresent()) {
          copies++;
        }
        boolean twoInInbox = op.equals("nack") && point.equals("move.linked");
        assertThat(copies).as("copies").isEqualTo(twoInInbox ? 2 : 1);
      } else {
        // Not delivered again: only right when the ack got as far as recording the id.
        assertThat(op).isEqualTo("ack");
        assertThat(transport.isProcessed(WEBC, id)).as("processed, %s", point).isTrue();
      }
      assertEveryFileParses(root);
    }
  }

  static Stream<String> batchPoints() {
    return Stream.of(
        "ack.markedProcessed@2", "ack.linked", "ack.moved", "ack.moved@2", "ack.moved@3", "none");
  }

  /**
   * A batch acknowledged at once ({@link Transport#ackAll}), halted at a step of one of its
   * messages: each message is then either processed and not delivered again, or delivered again
   * exactly once; once the links are made (ack.linked) every id is recorded, and recovery finishes
   * every ack; and a batch that returned lost none.
   */
  @ParameterizedTest(name = "ackAll halted at {0}")
  @MethodSource("batchPoints")
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void batchHaltedAtEachStep_eachMessageIsProcessedOrDeliveredOnce(String point) throws Exception {
    Path root = dir.resolve("root");
    List<String> sent = new java.util.ArrayList<>();
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      phi.init(List.of(DC, WEBC));
      for (int i = 0; i < 3; i++) {
        sent.add(phi.bus().sendRequest(DC, WEBC, "crash", null, null).id());
      }
    }
    Path result = dir.resolve("result");
    Process child = CrashRuns.runToEnd(CrashChild.class, point, dir, root, "ackAll", result);
    boolean returned = point.equals("none");
    assertThat(child.exitValue())
        .as("exit status; log: %s", log())
        .isEqualTo(returned ? 0 : CrashPoints.HALT_STATUS);
    if (returned) {
      assertThat(Files.readString(result).lines()).containsExactlyInAnyOrderElementsOf(sent);
    }

    assertEveryFileParses(root);
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).clock(later).open()) {
      Transport transport = phi.transport();
      transport.recoverExpired(WEBC, 100);
      List<String> again = new java.util.ArrayList<>();
      for (Optional<Claim> claim = transport.claim(WEBC, "restart", Duration.ofMinutes(5));
          claim.isPresent();
          claim = transport.claim(WEBC, "restart", Duration.ofMinutes(5))) {
        again.add(claim.get().envelope().id());
      }
      List<String> processed =
          sent.stream().filter(id -> transport.isProcessed(WEBC, MessageId.of(id))).toList();
      assertThat(again).as("delivered again").doesNotHaveDuplicates();
      assertThat(again).as("delivered again and processed").doesNotContainAnyElementsOf(processed);
      List<String> accounted = new java.util.ArrayList<>(again);
      accounted.addAll(processed);
      assertThat(accounted).as("every message").containsExactlyInAnyOrderElementsOf(sent);
      int recorded = point.equals("ack.markedProcessed@2") ? 2 : 3;
      assertThat(processed).as("processed after a halt at %s", point).hasSize(recorded);
      assertThat(phi.bus().deadLetters().list()).as("dead letters").isEmpty();
    }
  }

  private String log() throws IOException {
    Path log = dir.resolve("child.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Every visible JSON file under the root parses; envelopes in inboxes decode as envelopes. */
  static void assertEveryFileParses(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.filter(Files::isRegularFile).toList()) {
        String name = path.getFileName().toString();
        if (name.startsWith(".") || !name.endsWith(".json")) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(path);
        String where = root.relativize(path).toString();
        if (where.contains("inbox") || where.contains("claimed")) {
          assertThat(EnvelopeCodec.decode(bytes, null).id()).as(where).isNotBlank();
        } else {
          assertThat(Json.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)))
              .as(where)
              .isNotNull();
        }
      }
    }
  }
}
