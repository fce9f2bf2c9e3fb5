package io.phisync.bench.process;

import io.phisync.PhiSync;
import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Claim;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Replies to {@code count} requests through the bus. */
final class PhiSyncResponder implements Role {
  private final ChildOptions options;
  private @Nullable PhiSync phi;

  PhiSyncResponder(ChildOptions options) {
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

  @Override
  public void close() {
    if (phi != null) {
      phi.close();
    }
  }
}
