package io.phisync.bench.process;

import io.phisync.PhiSync;
import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Claim;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Receives and acks {@code count} messages through the bus (OS watching, no polling). */
final class PhiSyncConsumer implements Role {
  private final ChildOptions options;
  private @Nullable PhiSync phi;

  PhiSyncConsumer(ChildOptions options) {
    this.options = options;
  }

  @Override
  public void prepare() throws Exception {
    Warmup.phisync(options.mode());
    phi = PhiSync.builder(options.path("root")).durability(options.mode().durability()).open();
  }

  @Override
  public ChildResult run() throws Exception {
    if (phi == null) {
      throw new IllegalStateException("not prepared");
    }
    MessageBus bus = phi.bus();
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

  @Override
  public void close() {
    if (phi != null) {
      phi.close();
    }
  }
}
