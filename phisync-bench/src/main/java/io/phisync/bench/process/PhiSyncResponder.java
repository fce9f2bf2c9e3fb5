package io.phisync.bench.process;

import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Claim;
import java.time.Duration;
import java.util.Optional;

/** Replies to {@code count} requests through the bus. */
final class PhiSyncResponder extends PhiSyncRole {
  PhiSyncResponder(ChildOptions options) {
    super(options);
  }

  @Override
  public ChildResult run() throws Exception {
    MessageBus bus = phi().bus();
    AgentName agent = options.agent("agent");
    int count = options.integer("count");
    long start = System.nanoTime();
    for (int replied = 0; replied < count; ) {
      Optional<Claim> claim = bus.receive(agent, Duration.ofSeconds(1));
      if (claim.isPresent()) {
        bus.reply(claim.get(), claim.get().envelope().payload());
        replied++;
      }
    }
    return new ChildResult(count, System.nanoTime() - start, new long[0]);
  }
}
