package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCommitTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final GroupCommit group = new GroupCommit();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void callersArrivingDuringAForce_shareTheNextOne_andNoneReturnsBeforeIt() throws Exception {
    CountDownLatch firstForceHeld = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AtomicInteger forcesDone = new AtomicInteger();
    Runnable force =
        () -> {
          if (forcesDone.get() == 0 && firstForceHeld.getCount() == 1) {
            firstForceHeld.countDown();
            hold(releaseFirst);
          }
          forcesDone.incrementAndGet();
        };
    Future<Integer> leader = pool.submit(() -> commitAndCount(force, forcesDone));
    hold(firstForceHeld);

    List<Future<Integer>> followers = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      followers.add(pool.submit(() -> commitAndCount(force, forcesDone)));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 7);
    releaseFirst.countDown();

    assertThat(leader.get(10, TimeUnit.SECONDS)).isPositive();
    for (Future<Integer> follower : followers) {
      // Their changes came after the first force started: only the second covers them.
      assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    }
    assertThat(group.forces()).isEqualTo(2);
  }

  @Test
  void aFailedForceCoversNobody_theNextCallerForcesAgain() throws Exception {
    CountDownLatch firstForceHeld = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    Runnable force =
        () -> {
          if (attempts.incrementAndGet() == 1) {
            firstForceHeld.countDown();
            hold(releaseFirst);
            throw new UncheckedIOException(new java.io.IOException("disk full"));
          }
        };
    Future<?> failing = pool.submit(() -> group.commit(force));
    hold(firstForceHeld);
    Future<?> waiting = pool.submit(() -> group.commit(force));
    await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 1);
    releaseFirst.countDown();

    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk full");
    waiting.get(10, TimeUnit.SECONDS);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void aLoneCaller_forcesAtOnce_eachTime() {
    AtomicInteger forces = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      group.commit(forces::incrementAndGet);
    }
    assertThat(forces).hasValue(3);
  }

  /** Commits, and returns how many forces had ended when it returned. */
  private int commitAndCount(Runnable force, AtomicInteger forcesDone) {
    group.commit(force);
    return forcesDone.get();
  }

  private static void hold(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
