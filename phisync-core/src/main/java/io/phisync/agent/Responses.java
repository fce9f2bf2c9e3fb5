package io.phisync.agent;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageType;
import io.phisync.spi.DuplicateMessageException;
import io.phisync.spi.Transport;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Error responses for requests that were dead-lettered: the requester learns at once, instead of
 * waiting out its timeout. Same shape as {@code MessageBus.replyError}.
 */
final class Responses {
  private final Transport transport;
  private final Clock clock;

  Responses(Transport transport, Clock clock) {
    this.transport = transport;
    this.clock = clock;
  }

  void error(AgentName responder, Envelope request, String reason) {
    String replyTo = request.replyTo() != null ? request.replyTo() : request.from();
    Envelope response =
        Envelope.builder()
            .type(MessageType.RESPONSE)
            .from(responder)
            .to(replyTo == null ? null : AgentName.of(replyTo))
            .timestamp(OffsetDateTime.now(clock))
            .correlationId(request.id())
            .causationId(request.id())
            .expiresAt(request.expiresAt())
            .headers(Map.of("status", "error"))
            .payload(Json.object().put("error", reason))
            .build();
    try {
      transport.respond(responder, response);
    } catch (DuplicateMessageException e) {
      // A response is there already: the requester has its answer.
    }
  }
}
