package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.spi.Wakeup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DirectoryWatcherTest {
  /** Far longer than any test waits: a wake-up that returns early was woken by an event. */
  private static final Duration RESCAN = Duration.ofMinutes(5);

  @TempDir Path dir;
  private DirectoryWatcher watcher;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void open() throws Exception {
    watcher = new DirectoryWatcher(dir, RESCAN);
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    watcher.close();
  }

  @Test
  void anEventBetweenMakingTheWakeupAndAwaitingIt_isNotMissed() throws Exception {
    Wakeup wakeup = watcher.watch(dir);
    Files.writeString(dir.resolve("a.json"), "{}");

    long start = System.nanoTime();
    wakeup.await(Duration.ofSeconds(20));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void oneEvent_wakesEveryWaiterOnTheDirectory() throws Exception {
    int waiters = 4;
    CountDownLatch ready = new CountDownLatch(waiters);
    List<Future<Long>> woken = new ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      woken.add(
          pool.submit(
              () -> {
                Wakeup wakeup = watcher.watch(dir);
                ready.countDown();
                long start = System.nanoTime();
                wakeup.await(Duration.ofSeconds(20));
                return System.nanoTime() - start;
              }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();

    Files.writeString(dir.resolve("b.json"), "{}");

    for (Future<Long> f : woken) {
      assertThat(Duration.ofNanos(f.get(15, TimeUnit.SECONDS))).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void withoutEvents_awaitReturnsAfterItsMaximum() throws Exception {
    Wakeup wakeup = watcher.watch(dir);

    long start = System.nanoTime();
    wakeup.await(Duration.ofMillis(200));

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }
}
