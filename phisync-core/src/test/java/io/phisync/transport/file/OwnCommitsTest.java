package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.Durability;
import io.phisync.spi.LogKind;
import io.phisync.spi.RevisionLog;
import io.phisync.spi.Wakeup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread that commits to a log is not woken by its own entry on its watch of that log (a workflow
 * engine would run a pass of its loop for nothing per step); any other thread is.
 */
@Timeout(30)
class OwnCommitsTest {
  private static final StateKey KEY = StateKey.of("run-1");

  @TempDir Path root;

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private @Nullable FileTransport transport;

  @AfterEach
  void close() {
    pool.shutdownNow();
    if (transport != null) {
      transport.close();
    }
  }

  @Test
  void ownCommit_wakesNotTheCommittingThread_butAnotherOnesCommitDoes() throws Exception {
    // No rescans during the test: a wait that ends early was ended by an event.
    FileTransport transport =
        FileTransport.open(
            FileTransportConfig.builder(root)
                .durability(Durability.FAST)
                .rescanInterval(Duration.ofMinutes(5))
                .build());
    this.transport = transport;
    RevisionLog log = transport.log(LogKind.WORKFLOWS);
    Wakeup mine = log.watch(KEY);
    CountDownLatch ready = new CountDownLatch(1);
    Future<Long> theirs =
        pool.submit(
            () -> {
              try (Wakeup wakeup = log.watch(KEY)) {
                ready.countDown();
                long start = System.nanoTime();
                wakeup.await(Duration.ofSeconds(20));
                return System.nanoTime() - start;
              }
            });
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(log.tryCommit(KEY, 1, Json.object().put("n", 1))).isTrue();

    assertThat(Duration.ofNanos(theirs.get(15, TimeUnit.SECONDS)))
        .as("another thread's waiter, woken once the event was handled")
        .isLessThan(Duration.ofSeconds(10));
    long start = System.nanoTime();
    mine.await(Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the committing thread's waiter")
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));

    pool.submit(() -> log.tryCommit(KEY, 2, Json.object().put("n", 2))).get(15, TimeUnit.SECONDS);
    start = System.nanoTime();
    mine.await(Duration.ofSeconds(20));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("woken by another thread's commit")
        .isLessThan(Duration.ofSeconds(10));
    mine.close();
  }
}
