package io.phisync.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.PhiSync;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import io.phisync.spi.LeaseLostException;
import io.phisync.state.FencedWriteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.IntNode;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocksTest {
  private static final Duration LEASE = Duration.ofSeconds(10);

  @TempDir Path root;
  private final AtomicLong nanos = new AtomicLong();
  private PhiSync phi;

  /** Two observers in one process, as two processes would be: each its own Locks and ticker. */
  private Locks alice;

  private Locks bob;

  @BeforeEach
  void open() {
    phi = PhiSync.builder(root).durability(Durability.FAST).open();
    phi.init(List.of());
    alice =
        Locks.over(
            phi.transport(), LockOptions.defaults().withOwnerId("alice").withTicker(nanos::get));
    bob =
        Locks.over(
            phi.transport(), LockOptions.defaults().withOwnerId("bob").withTicker(nanos::get));
  }

  @AfterEach
  void close() {
    phi.close();
  }

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Test
  void acquire_free_grantsWithTokenOne_andWritesTheOwnerRecord() throws Exception {
    Lease lease = alice.tryAcquire("deploy", LEASE).orElseThrow();

    assertThat(lease.token()).isEqualTo(1);
    assertThat(lease.owner().ownerId()).isEqualTo("alice");
    assertThat(lease.owner().pid()).isEqualTo(ProcessHandle.current().pid());
    Path lockFile = root.resolve("shared/locks/deploy.lock");
    assertThat(Json.parse(Files.readString(lockFile)).path("token").asLong()).isEqualTo(1);
    assertThat(bob.status("deploy")).isInstanceOf(LockStatus.Held.class);
  }

  @Test
  void heldLock_isNotGrantedToAnother_untilReleased() {
    Lease lease = alice.tryAcquire("deploy", LEASE).orElseThrow();
    assertThat(bob.tryAcquire("deploy", LEASE)).isEmpty();

    lease.release();

    assertThat(root.resolve("shared/locks/deploy.lock")).doesNotExist();
    assertThat(bob.status("deploy")).isInstanceOf(LockStatus.Free.class);
    assertThat(bob.tryAcquire("deploy", LEASE).orElseThrow().token()).isGreaterThan(lease.token());
  }

  @Test
  void aHolderSeenUnchangedPastItsLease_isTakenOver_andItsRenewFails() {
    Lease stalled = alice.tryAcquire("deploy", LEASE).orElseThrow();
    assertThat(bob.tryAcquire("deploy", LEASE)).isEmpty(); // Bob starts observing.
    advance(LEASE.minusMillis(1));
    assertThat(bob.tryAcquire("deploy", LEASE)).isEmpty();
    advance(Duration.ofMillis(2));

    Lease taken = bob.tryAcquire("deploy", LEASE).orElseThrow();

    assertThat(taken.token()).isGreaterThan(stalled.token());
    assertThatThrownBy(stalled::renew)
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("taken over by bob");
    assertThatThrownBy(stalled::release).isInstanceOf(LeaseLostException.class);
    assertThat(bob.status("deploy")).isInstanceOf(LockStatus.Held.class);
  }

  @Test
  void renewing_restartsTheObserversCount() {
    Lease lease = alice.tryAcquire("deploy", LEASE).orElseThrow();
    assertThat(bob.tryAcquire("deploy", LEASE)).isEmpty();
    advance(LEASE.minusSeconds(1));
    lease.renew();
    advance(Duration.ofSeconds(2));

    assertThat(bob.tryAcquire("deploy", LEASE)).isEmpty();
    assertThat(lease.token()).isEqualTo(1);
  }

  @Test
  void aNewObserver_waitsAWholeLeaseEvenForALongDeadHolder() {
    assertThat(alice.tryAcquire("deploy", LEASE)).isPresent();
    advance(Duration.ofDays(1)); // Nobody was watching: that proves nothing.

    assertThat(bob.tryAcquire("deploy", LEASE)).isEmpty();
    assertThat(((LockStatus.Held) bob.status("deploy")).expired()).isFalse();
  }

  @Test
  void tokens_onlyGrow_acrossGrants() {
    long last = 0;
    for (int i = 0; i < 5; i++) {
      Locks who = i % 2 == 0 ? alice : bob;
      try (Lease lease = who.tryAcquire("deploy", LEASE).orElseThrow()) {
        lease.renew();
        assertThat(lease.token()).isGreaterThan(last);
        last = lease.token();
      }
    }
  }

  @Test
  void theStateStore_refusesAWriteFromASupersededHolder() {
    Lease stalled = alice.tryAcquire("deploy", LEASE).orElseThrow();
    bob.tryAcquire("deploy", LEASE);
    advance(LEASE.plusSeconds(1));
    Lease current = bob.tryAcquire("deploy", LEASE).orElseThrow();
    phi.state().put("deploy/version", IntNode.valueOf(2), current.token());

    assertThatThrownBy(() -> phi.state().put("deploy/version", IntNode.valueOf(1), stalled.token()))
        .isInstanceOf(FencedWriteException.class);
    assertThat(phi.state().get("deploy/version").orElseThrow().valueOrThrow().asInt()).isEqualTo(2);
  }

  @Test
  void aForeignLockFile_isRespected_untilSeenUnchangedForTheForeignLease() throws Exception {
    Path lockFile = root.resolve("shared/locks/deploy.lock");
    Files.writeString(lockFile, "locked by build.ps1");

    assertThat(alice.tryAcquire("deploy", LEASE)).isEmpty();
    assertThat(alice.status("deploy")).isInstanceOf(LockStatus.Foreign.class);
    advance(LockOptions.DEFAULT_FOREIGN_LEASE.minusSeconds(1));
    assertThat(alice.tryAcquire("deploy", LEASE)).isEmpty();
    advance(Duration.ofSeconds(2));

    Lease lease = alice.tryAcquire("deploy", LEASE).orElseThrow();

    assertThat(Json.parse(Files.readString(lockFile)).path("ownerId").asString())
        .isEqualTo("alice");
    assertThat(lease.token()).isEqualTo(1);
  }

  @Test
  void anEmptyForeignLockFile_isRespectedToo_andChangingItRestartsTheCount() throws Exception {
    Path lockFile = root.resolve("shared/locks/deploy.lock");
    Files.writeString(lockFile, "");
    assertThat(alice.tryAcquire("deploy", LEASE)).isEmpty();
    advance(LockOptions.DEFAULT_FOREIGN_LEASE.minusSeconds(1));
    Files.writeString(lockFile, "still here");
    advance(Duration.ofSeconds(2));

    assertThat(alice.tryAcquire("deploy", LEASE)).isEmpty();
  }

  @Test
  void acquire_withAWait_timesOutNamingTheHolder() {
    assertThat(alice.tryAcquire("deploy", LEASE)).isPresent();
    Locks impatient = Locks.over(phi.transport(), LockOptions.defaults().withOwnerId("carol"));

    assertThatThrownBy(() -> impatient.acquire("deploy", LEASE, Duration.ofMillis(300)))
        .isInstanceOf(LockTimeoutException.class)
        .hasMessageContaining("by alice");
  }

  @Test
  void acquire_waits_untilTheHolderReleases() throws Exception {
    Lease first = alice.tryAcquire("deploy", LEASE).orElseThrow();
    Locks waiter = Locks.over(phi.transport(), LockOptions.defaults().withOwnerId("carol"));
    Thread releaser = new Thread(first::release);
    releaser.start();

    try (Lease second = waiter.acquire("deploy", LEASE, Duration.ofSeconds(20))) {
      assertThat(second.token()).isGreaterThan(first.token());
    }
    releaser.join();
  }
}
