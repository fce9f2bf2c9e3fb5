package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.bus.Durations;
import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's research agent: answers {@code count} requests, then exits. It prints {@code ready}
 * once it is listening and {@code answered <id>} after each reply, for the process that started it.
 */
final class DemoResponder {
  static final String READY = "ready";

  private final Session session;

  DemoResponder(Session session) {
    this.session = session;
  }

  int serve(AgentName agent, int count, Duration idle) throws InterruptedException {
    try (PhiSync phi = session.open()) {
      MessageBus bus = phi.bus();
      warmUp(agent);
      session.out().println(READY);
      for (int i = 0; i < count; i++) {
        Claim claim =
            bus.receive(agent, idle)
                .orElseThrow(
                    () ->
                        new CliException(
                            ExitCodes.NOTHING_RECEIVED,
                            "no request for " + agent + " within " + Durations.format(idle)));
        bus.reply(claim, answer(agent, claim.envelope()));
        session.out().println("answered " + claim.envelope().id());
      }
    }
    return ExitCodes.OK;
  }

  /** Loads the JSON machinery before saying ready, so the first round trip is not the slowest. */
  private static void warmUp(AgentName agent) {
    Envelope sample =
        Envelope.builder().type(MessageType.REQUEST).to(agent).payload(answer(agent, null)).build();
    EnvelopeCodec.decode(EnvelopeCodec.encode(sample));
  }

  private static ObjectNode answer(AgentName agent, @Nullable Envelope request) {
    JsonNode payload = request == null ? null : request.payload();
    String topic = payload == null ? "" : payload.path("topic").asString("");
    return Json.object()
        .put("topic", topic)
        .put("summary", "3 sources on " + topic + ", synthesized")
        .put("answeredBy", agent + " (pid " + ProcessHandle.current().pid() + ")");
  }
}
