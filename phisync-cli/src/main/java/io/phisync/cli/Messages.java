package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.bus.Durations;
import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.spi.Claim;
import io.phisync.spi.NackOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Sending, requesting, receiving and replying, one command each. */
final class Messages {
  private final Session session;

  Messages(Session session) {
    this.session = session;
  }

  /** Prints the id of the sent message. */
  int send(MessageOptions m, boolean notify, @Nullable Duration deadline) {
    try (PhiSync phi = session.open()) {
      Prewarm.awaitDone();
      MessageBus bus = phi.bus();
      Envelope sent =
          notify
              ? bus.notify(m.from, m.to, m.command, m.payload)
              : bus.sendRequest(m.from, m.to, m.command, m.payload, deadline);
      session.out().println(sent.id());
    }
    return ExitCodes.OK;
  }

  /** Prints the response; 5 when it is an error response. */
  int request(MessageOptions m, Duration timeout) throws InterruptedException {
    try (PhiSync phi = session.open()) {
      Prewarm.awaitDone();
      Envelope response = phi.bus().call(m.from, m.to, m.command, m.payload, timeout);
      session.out().println(Json.pretty(response));
      if (isError(response)) {
        session
            .err()
            .println("phisync: " + m.to + " answered with an error: " + errorText(response));
        return ExitCodes.ERROR_RESPONSE;
      }
    }
    return ExitCodes.OK;
  }

  /** Prints the claimed message; 3 when none came. */
  int receive(AgentName agent, Duration wait, Duration lease) throws InterruptedException {
    try (PhiSync phi = session.open(lease)) {
      Optional<Claim> claim = phi.bus().receive(agent, wait);
      if (claim.isEmpty()) {
        throw new CliException(
            ExitCodes.NOTHING_RECEIVED,
            "nothing arrived for " + agent + " within " + Durations.format(wait));
      }
      session.out().println(Json.pretty(claim.get().envelope()));
    }
    return ExitCodes.OK;
  }

  /** Prints the id of the response written. */
  int reply(AgentName agent, MessageId id, @Nullable ObjectNode payload, @Nullable String error) {
    try (PhiSync phi = session.open()) {
      MessageBus bus = phi.bus();
      Claim claim = bus.findClaim(agent, id).orElseThrow(() -> notClaimed(phi, agent, id));
      Envelope response = error == null ? bus.reply(claim, payload) : bus.replyError(claim, error);
      session.out().println(response.id());
    }
    return ExitCodes.OK;
  }

  /** Gives a claimed message back after a failure; prints what became of it. */
  int nack(AgentName agent, MessageId id, String reason) {
    try (PhiSync phi = session.open()) {
      MessageBus bus = phi.bus();
      Claim claim = bus.findClaim(agent, id).orElseThrow(() -> notClaimed(phi, agent, id));
      NackOutcome outcome = bus.nack(claim, reason);
      int max = bus.options().maxAttempts();
      session
          .out()
          .println(
              outcome == NackOutcome.REQUEUED
                  ? "requeued after attempt " + claim.attempt() + " of " + max
                  : "dead-lettered after attempt " + claim.attempt() + " of " + max);
    }
    return ExitCodes.OK;
  }

  private static CliException notClaimed(PhiSync phi, AgentName agent, MessageId id) {
    if (phi.transport().pending(agent).stream().anyMatch(e -> e.id().equals(id.value()))) {
      return CliException.usage(
          "message "
              + id
              + " is waiting in "
              + agent
              + "'s inbox but nobody claimed it; claim it first with 'phisync recv --agent "
              + agent
              + "'");
    }
    if (phi.transport().isProcessed(agent, id)) {
      return CliException.usage("message " + id + " of " + agent + " was already answered");
    }
    return CliException.usage(
        "no claimed message "
            + id
            + " for "
            + agent
            + " (never received, or its lease ran out and it was delivered again)");
  }

  static boolean isError(Envelope response) {
    Map<String, String> headers = response.headers();
    return headers != null && "error".equals(headers.get("status"));
  }

  private static String errorText(Envelope response) {
    JsonNode payload = response.payload();
    JsonNode error = payload == null ? null : payload.get("error");
    return error == null ? "(no text)" : error.isString() ? error.asString() : error.toString();
  }
}
