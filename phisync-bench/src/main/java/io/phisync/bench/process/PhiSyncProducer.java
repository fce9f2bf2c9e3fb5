package io.phisync.bench.process;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;

/** Sends {@code count} notifications through the bus, {@code intervalMs} apart (0: flat out). */
final class PhiSyncProducer extends PhiSyncRole {
  PhiSyncProducer(ChildOptions options) {
    super(options);
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
}
