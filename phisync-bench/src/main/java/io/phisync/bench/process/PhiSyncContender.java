package io.phisync.bench.process;

import io.phisync.PhiSync;
import io.phisync.lock.Lease;
import io.phisync.protocol.Json;
import io.phisync.state.CasResult;
import io.phisync.state.Expect;
import io.phisync.state.StateStore;
import io.phisync.state.Versioned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One of several processes contending for one lock ({@code lock}: acquire, release) or one state
 * key ({@code cas}: read, compare-and-set the incremented counter, retry on conflict), {@code
 * count} times. The latency of each operation includes its waits and retries.
 */
final class PhiSyncContender implements Role {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofMinutes(5);

  private final ChildOptions options;
  private final boolean lock;
  private @Nullable PhiSync phi;

  PhiSyncContender(ChildOptions options, boolean lock) {
    this.options = options;
    this.lock = lock;
  }

  @Override
  public void prepare() throws Exception {
    Path scratch = Files.createTempDirectory("phisync-bench-warmup-");
    try (PhiSync warm = open(scratch)) {
      for (int i = 0; i < Warmup.ROUNDS; i++) {
        once(warm, "warmup");
      }
    } finally {
      Warmup.delete(scratch);
    }
    phi = open(Path.of(options.get("root")));
  }

  private PhiSync open(Path root) throws IOException {
    return PhiSync.builder(root).durability(options.mode().durability()).open();
  }

  @Override
  public ChildResult run() throws Exception {
    PhiSync open = phi;
    if (open == null) {
      throw new IllegalStateException("not prepared");
    }
    String name = options.get("name");
    int count = options.integer("count");
    long[] latencies = new long[count];
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      once(open, name);
      latencies[i] = (System.nanoTime() - t0) / 1000;
    }
    return new ChildResult(count, System.nanoTime() - start, latencies);
  }

  private void once(PhiSync on, String name) throws InterruptedException {
    if (lock) {
      Lease lease = on.locks().acquire(name, LEASE, WAIT);
      on.locks().release(name, lease.token());
    } else {
      increment(on.state(), name);
    }
  }

  private static void increment(StateStore state, String key) {
    while (true) {
      Optional<Versioned> current = state.get(key);
      long value = current.map(PhiSyncContender::counter).orElse(0L);
      Expect expect = current.map(v -> Expect.revision(v.revision())).orElse(Expect.absent());
      CasResult result = state.compareAndSet(key, expect, Json.object().put("n", value + 1));
      if (result instanceof CasResult.Committed) {
        return;
      }
    }
  }

  private static long counter(Versioned versioned) {
    JsonNode value = versioned.value();
    return value == null ? 0 : value.path("n").asLong();
  }

  @Override
  public void close() {
    if (phi != null) {
      phi.close();
    }
  }
}
