package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.PhiSync;
import io.phisync.lock.Lease;
import io.phisync.lock.LockOptions;
import io.phisync.lock.LockStatus;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.Durability;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import io.phisync.state.FencedWriteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.StringNode;

/**
 * Crash points in the lock's writes: a grant (record temp written, linked, committed, an old record
 * pruned, the lock file's temp written, linked), a renewal and a release (record written, linked,
 * committed, pruned, the lock file removed). A child JVM is halted ({@code Runtime.halt}) at the
 * point; on restart the lock is in its old state or its new one, never corrupt, every record and
 * lock file parses, and the next grant's fencing token is above every token handed out before, so
 * the halted holder's token is refused by the state store.
 */
class LockCrashPointsTest {
  static final String LOCK = "crash-lock";
  static final Duration LEASE = Duration.ofSeconds(30);

  /** Grant/release cycles before the operation: enough that every commit prunes an old record. */
  private static final int CYCLES = 11;

  @TempDir Path dir;

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of("grant", "createNew.tempWritten"),
        Arguments.of("grant", "createNew.linked"),
        Arguments.of("grant", "locks.committed"),
        Arguments.of("grant", "replace.tempWritten"),
        Arguments.of("grant", "createNew.tempWritten@2"),
        Arguments.of("grant", "createNew.linked@2"),
        Arguments.of("grant", "locks.viewCreated"),
        Arguments.of("grant", "none"),
        Arguments.of("renew", "createNew.tempWritten@3"),
        Arguments.of("renew", "createNew.linked@3"),
        Arguments.of("renew", "locks.committed@2"),
        Arguments.of("renew", "replace.tempWritten@2"),
        Arguments.of("renew", "none"),
        Arguments.of("release", "createNew.tempWritten@3"),
        Arguments.of("release", "createNew.linked@3"),
        Arguments.of("release", "locks.committed@2"),
        Arguments.of("release", "replace.tempWritten@2"),
        Arguments.of("release", "locks.viewDeleted"),
        Arguments.of("release", "none"));
  }

  @ParameterizedTest(name = "{0} halted at {1}")
  @MethodSource("points")
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void haltedAtEachStep_leavesOldOrNewLockState(String op, String point) throws Exception {
    Path root = dir.resolve("root");
    long before;
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      phi.init(List.of(AgentName.of("dc")));
      for (int i = 0; i < CYCLES; i++) {
        phi.locks().tryAcquire(LOCK, LEASE).orElseThrow().release();
      }
      before = latest(phi).revision();
    }
    Path result = dir.resolve("result");
    Process child = CrashRuns.runToEnd(LockCrashChild.class, point, dir, root, op, result);
    boolean none = point.equals("none");
    assertThat(child.exitValue())
        .as("exit status; log: %s", log())
        .isEqualTo(none ? 0 : CrashPoints.HALT_STATUS);
    assertThat(Files.exists(result)).as("returned").isEqualTo(none);

    assertEveryRecordAndLockFileParses(root);
    AtomicLong ticks = new AtomicLong();
    try (PhiSync phi =
        PhiSync.builder(root)
            .durability(Durability.DURABLE)
            .locks(LockOptions.defaults().withTicker(ticks::get))
            .open()) {
      Revision latest = latest(phi);
      // The child's grant, whether or not it was committed, is revision before + 1.
      long childToken = before + 1;
      String state = latest.record().path("state").asString();
      switch (op) {
        case "grant" -> {
          assertThat(latest.revision()).as("revision: old or new").isIn(before, before + 1);
          assertThat(state).isEqualTo(latest.revision() == before ? "released" : "held");
          if (none) {
            assertThat(latest.revision()).as("a returned grant is kept").isEqualTo(before + 1);
          }
        }
        case "renew" -> {
          assertThat(latest.revision()).isIn(before + 1, before + 2);
          assertThat(state).isEqualTo("held");
          assertThat(latest.record().path("token").asLong()).isEqualTo(childToken);
          if (none) {
            assertThat(latest.revision()).as("a returned renewal is kept").isEqualTo(before + 2);
          }
        }
        default -> {
          assertThat(latest.revision()).isIn(before + 1, before + 2);
          assertThat(state).isEqualTo(latest.revision() == before + 1 ? "held" : "released");
          if (none) {
            assertThat(latest.revision()).as("a returned release is kept").isEqualTo(before + 2);
          }
        }
      }
      LockStatus status = phi.locks().status(LOCK);
      assertThat(status)
          .as("status")
          .isInstanceOf(state.equals("held") ? LockStatus.Held.class : LockStatus.Free.class);

      // A held grant of the halted child is taken over once this observer has seen it unchanged
      // for its lease; the new token is above every token ever handed out.
      Optional<Lease> first = phi.locks().tryAcquire(LOCK, LEASE);
      if (state.equals("held")) {
        assertThat(first).as("a held lease is respected until it runs out").isEmpty();
        ticks.addAndGet(LEASE.multipliedBy(2).toNanos());
        first = phi.locks().tryAcquire(LOCK, LEASE);
      }
      Lease next = first.orElseThrow();
      assertThat(next.token()).as("the next token").isGreaterThan(latest.revision());
      String view = Files.readString(root.resolve("shared/locks/" + LOCK + ".lock"));
      assertThat(Json.parse(view).path("token").asLong())
          .as("the lock file")
          .isEqualTo(next.token());
      phi.state().put("fenced", StringNode.valueOf("next"), next.token());
      if (latest.revision() >= childToken) {
        // The child's grant was committed (handed out): its token is never handed out again, and
        // a write with it is refused once the next holder has written.
        assertThat(next.token()).isGreaterThan(childToken);
        assertThatThrownBy(() -> phi.state().put("fenced", StringNode.valueOf("child"), childToken))
            .as("the halted holder's token is refused")
            .isInstanceOf(FencedWriteException.class);
      }
      next.release();
      assertEveryRecordAndLockFileParses(root);
    }
  }

  private static Revision latest(PhiSync phi) {
    return phi.transport().log(LogKind.LOCKS).latest(StateKey.of(LOCK)).orElseThrow();
  }

  private static void assertEveryRecordAndLockFileParses(Path root) throws IOException {
    CrashPointsTest.assertEveryFileParses(root);
    try (Stream<Path> files = Files.walk(root.resolve("shared/locks"))) {
      for (Path lock : files.filter(p -> p.toString().endsWith(".lock")).toList()) {
        assertThat(
                Json.parse(Files.readString(lock, StandardCharsets.UTF_8)).path("token").asLong())
            .as(lock.toString())
            .isPositive();
      }
    }
  }

  private String log() throws IOException {
    Path log = dir.resolve("child.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
