package io.phisync.bench.process;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Calls {@code count} times through the bus, {@code intervalMs} apart; one round trip each. */
final class PhiSyncRequester implements Role {
  private final ChildOptions options;
  private @Nullable PhiSync phi;

  PhiSyncRequester(ChildOptions options) {
    this.options = options;
  }

  @Override
  public void prepare() throws Exception {
    Warmup.phisync(options.mode());
    phi = PhiSync.builder(options.path("root")).durability(options.mode().durability()).open();
  }

  @Override
  public ChildResult run() throws Exception {
    PhiSync open = phi;
    if (open == null) {
      throw new IllegalStateException("not prepared");
    }
    AgentName from = options.agent("from");
    AgentName to = options.agent("to");
    RoundTrips trips = new RoundTrips(options);
    return trips.run(
        () ->
            open.bus()
                .call(
                    from,
                    to,
                    "bench",
                    Json.object().put("sentMicros", WallClock.micros()),
                    Duration.ofSeconds(30)));
  }

  @Override
  public void close() {
    if (phi != null) {
      phi.close();
    }
  }
}
