package io.phisync.bench.process;

import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Claim;
import java.time.Duration;
import java.util.Optional;

/** Receives and acks {@code count} messages through the bus (OS watching, no polling). */
final class PhiSyncConsumer extends PhiSyncRole {
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
      Optional<Claim> claim = bus.receive(agent, Duration.ofSeconds(1));
      if (claim.isPresent()) {
        long at = WallClock.micros();
        bus.ack(claim.get());
        tally.seen(PlainFiles.sentMicros(claim.get().envelope()), at);
      }
    }
    return tally.result();
  }
}
