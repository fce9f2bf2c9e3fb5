package io.phisync.bench.process;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.time.Duration;

/** Calls {@code count} times through the bus, {@code intervalMs} apart; one round trip each. */
final class PhiSyncRequester extends PhiSyncRole {
  PhiSyncRequester(ChildOptions options) {
    super(options);
  }

  @Override
  public ChildResult run() throws Exception {
    PhiSync open = phi();
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
}
