package io.phisync.bench.process;

import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Claim;
import java.time.Duration;
import java.util.List;

/**
 * Receives and acks {@code count} messages through the bus (OS watching, no polling): takes what is
 * waiting, up to {@value #BATCH} at a time, and acknowledges it with one group commit.
 */
final class PhiSyncConsumer extends PhiSyncRole {
  /** The most messages one {@link MessageBus#receiveBatch} takes. */
  static final int BATCH = 256;

  PhiSyncConsumer(ChildOptions options) {
    super(options);
  }

  @Override
  public ChildResult run() throws Exception {
    MessageBus bus = phi().bus();
    AgentName agent = options.agent("agent");
    Tally tally = new Tally(options.integer("count"));
    tally.start();
    while (!tally.isDone()) {
      List<Claim> batch = bus.receiveBatch(agent, BATCH, Duration.ofSeconds(1));
      long at = WallClock.micros();
      bus.ackAll(batch);
      for (Claim claim : batch) {
        tally.seen(PlainFiles.sentMicros(claim.envelope()), at);
      }
    }
    return tally.result();
  }
}
