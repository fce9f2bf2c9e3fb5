package io.phisync.bench.process;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Sends {@code count} notifications through the bus, {@code intervalMs} apart (0: flat out). */
final class PhiSyncProducer implements Role {
  private final ChildOptions options;
  private @Nullable PhiSync phi;

  PhiSyncProducer(ChildOptions options) {
    this.options = options;
  }

  @Override
  public void prepare() throws Exception {
    Warmup.phisync(options.mode());
    phi =
        PhiSync.builder(Path.of(options.get("root")))
            .durability(options.mode().durability())
            .open();
  }

  @Override
  public ChildResult run() throws Exception {
    AgentName from = options.agent("from");
    AgentName to = options.agent("to");
    int count = options.integer("count");
    long interval = options.longValue("intervalMs", 0);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (interval > 0) {
        Thread.sleep(interval);
      }
      phi().bus().notify(from, to, "bench", Json.object().put("sentMicros", WallClock.micros()));
    }
    return new ChildResult(count, System.nanoTime() - start, new long[0]);
  }

  private PhiSync phi() {
    if (phi == null) {
      throw new IllegalStateException("not prepared");
    }
    return phi;
  }

  @Override
  public void close() {
    if (phi != null) {
      phi.close();
    }
  }
}
