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

  /** A second watched directory, for {@link #eventsSoFarPumped}. */
  @TempDir Path other;

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
      woken.add(waiterOnAnotherThread(ready));
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

  @Test
  void withoutEvents_aWaitShorterThanAMillisecond_stillWaitsItsTime() throws Exception {
    Wakeup wakeup = watcher.watch(dir);

    long start = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      wakeup.await(Duration.ofNanos(400_000)); // Once returned at once: a deadline loop spun.
    }

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(20));
  }

  @Test
  void aWritersTempFile_wakesNobody_butItsFinalName_does() throws Exception {
    Wakeup wakeup = watcher.watch(dir);
    Path temp = dir.resolve(".msg-1.json.5f3a.tmp");
    Files.writeString(temp, "{}");
    Files.delete(temp);
    eventsSoFarPumped();

    assertNotWoken(wakeup);

    Files.writeString(dir.resolve("msg-1.json"), "{}");
    assertWoken(wakeup);
  }

  @Test
  void anArrivalsWakeup_ignoresFilesLeaving_butNotFilesComing() throws Exception {
    Files.writeString(dir.resolve("old.json"), "{}");
    Files.writeString(dir.resolve("other.json"), "{}");
    watcher.watch(dir);
    eventsSoFarPumped();
    Wakeup arrivals = watcher.watchArrivals(dir);
    Wakeup changes = watcher.watch(dir);
    Files.move(dir.resolve("old.json"), other.resolve("claimed-old.json")); // As a claim does.
    Files.delete(dir.resolve("other.json"));
    eventsSoFarPumped();

    assertWoken(changes);
    assertNotWoken(arrivals);

    Files.writeString(dir.resolve("new.json"), "{}");
    assertWoken(arrivals);
  }

  @Test
  void anArrivalsWakeupOverSeveralDirectories_ignoresFilesLeavingAny_butNotFilesComing()
      throws Exception {
    Path quiet = Files.createDirectory(dir.resolve("quiet"));
    Files.writeString(quiet.resolve("resp-1.json"), "{}");
    eventsSoFarPumped();
    Wakeup arrivals = watcher.watchAllArrivals(List.of(dir, quiet));
    Wakeup changes = watcher.watchAll(List.of(dir, quiet));
    Files.move(quiet.resolve("resp-1.json"), other.resolve("taken-1.json")); // A response taken.
    eventsSoFarPumped();

    assertWoken(changes);
    assertNotWoken(arrivals);

    Files.writeString(quiet.resolve("resp-2.json"), "{}");
    assertWoken(arrivals);
  }

  @Test
  void aThreadsAnnouncedWrite_wakesNotItsOwnWaiters_butEveryOtherThreads() throws Exception {
    // Written as a log commits an entry: elsewhere, then linked to its name (one event).
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path quiet = Files.createDirectory(dir.resolve("quiet"));
    eventsSoFarPumped();
    Wakeup mine = watcher.watch(dir);
    Wakeup mineOverSeveral = watcher.watchAll(List.of(dir, quiet));
    CountDownLatch ready = new CountDownLatch(1);
    Future<Long> theirs = waiterOnAnotherThread(ready);
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();

    Path entry = dir.resolve("rev-000000000001.json");
    watcher.writing(entry);
    Files.createLink(entry, Files.writeString(elsewhere.resolve("1.json"), "{}"));
    eventsSoFarPumped();

    assertThat(Duration.ofNanos(theirs.get(15, TimeUnit.SECONDS)))
        .as("another thread's waiter")
        .isLessThan(Duration.ofSeconds(10));
    assertNotWoken(mine);
    assertNotWoken(mineOverSeveral);

    Path announcedButRefused = dir.resolve("rev-000000000002.json");
    watcher.writing(announcedButRefused);
    watcher.notWritten(announcedButRefused); // Another writer took the name first...
    Files.createLink(announcedButRefused, Files.writeString(elsewhere.resolve("2.json"), "{}"));
    assertWoken(mine); // ...so its file is news.
    assertWoken(mineOverSeveral);
  }

  /**
   * A waiter on {@code dir} in a thread of the pool: counts {@code ready} down once it watches,
   * then returns how long its wait took (up to 20 s).
   */
  private Future<Long> waiterOnAnotherThread(CountDownLatch ready) {
    return pool.submit(
        () -> {
          Wakeup wakeup = watcher.watch(dir);
          ready.countDown();
          long start = System.nanoTime();
          wakeup.await(Duration.ofSeconds(20));
          return System.nanoTime() - start;
        });
  }

  /**
   * Returns once the watcher has handled every event made before: one inotify queue, handled in
   * order, so when an event made after them in another directory has woken its waiter, theirs have
   * been handled too.
   */
  private void eventsSoFarPumped() throws Exception {
    Wakeup sentinel = watcher.watch(other);
    Files.writeString(other.resolve("sentinel-" + System.nanoTime() + ".json"), "{}");
    assertWoken(sentinel);
  }

  private static void assertWoken(Wakeup wakeup) throws InterruptedException {
    long start = System.nanoTime();
    wakeup.await(Duration.ofSeconds(20));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  private static void assertNotWoken(Wakeup wakeup) throws InterruptedException {
    long start = System.nanoTime();
    wakeup.await(Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("woken by an event it should ignore")
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }
}
