package io.phisync.mcp;

import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.NackOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** This agent's inbox: look, claim the next message, and finish it (reply, ack, nack). */
final class InboxTools implements ToolGroup {
  private static final long MAX_WAIT = ToolContext.MAX_WAIT.toSeconds();
  private static final long DEFAULT_LEASE = Duration.ofMinutes(5).toSeconds();
  private static final long MAX_LEASE = Duration.ofHours(1).toSeconds();
  private static final int MAX_LISTED = 50;
  private static final String ID = "The message id, as phisync_receive returned it.";
  private static final String TOKEN =
      "Optional: the claimToken phisync_receive returned; with it, the call fails instead of"
          + " finishing a later delivery of the same message if your lease ran out.";

  private final ToolContext context;

  InboxTools(ToolContext context) {
    this.context = context;
  }

  @Override
  public List<Tool> tools() {
    return List.of(inbox(), receive(), reply(), ack(), nack());
  }

  private Tool inbox() {
    return new Tool(
        "phisync_inbox",
        "List the messages waiting in your inbox ("
            + context.self()
            + "), oldest first, without taking any. Returns {agent, pending: [{id, type, from,"
            + " command, timestamp}], pendingCount, claimed}. To work on one, call phisync_receive.",
        InputSchema.object(),
        /* readOnly= */ true,
        args -> {
          List<Envelope> pending = context.phi().transport().pending(context.self());
          ArrayNode list = Results.object().arrayNode();
          pending.stream()
              .limit(MAX_LISTED)
              .forEach(
                  m -> {
                    ObjectNode shown = Results.message(m);
                    shown.remove("payload");
                    list.add(shown);
                  });
          ObjectNode out = Results.object().put("agent", context.self().value());
          out.set("pending", list);
          return out.put("pendingCount", pending.size())
              .put("claimed", context.phi().transport().stats(context.self()).claimed());
        });
  }

  private Tool receive() {
    return new Tool(
        "phisync_receive",
        "Take the next message from your inbox ("
            + context.self()
            + "), waiting up to waitSeconds (at most "
            + MAX_WAIT
            + ") for one. Returns {message: {id, type, from, command, payload, attempt}, claimToken,"
            + " leaseExpiresAt, next}, or {message: null} when nothing came. The message is yours"
            + " until leaseExpiresAt: do the work, then call phisync_reply (for a request) or"
            + " phisync_ack (for a notification); if you cannot do it, call phisync_nack. If you"
            + " finish none of these in time, the message is delivered again.",
        InputSchema.object()
            .seconds(
                "waitSeconds",
                "How long to wait when the inbox is empty; 0 looks once.",
                0,
                MAX_WAIT,
                0)
            .seconds(
                "leaseSeconds",
                "How long the message stays yours before it is delivered again.",
                10,
                MAX_LEASE,
                DEFAULT_LEASE),
        /* readOnly= */ false,
        args -> {
          Duration wait = args.seconds("waitSeconds", 0, MAX_WAIT, 0);
          Duration lease = args.seconds("leaseSeconds", 10, MAX_LEASE, DEFAULT_LEASE);
          Optional<Claim> next = bus().receive(context.self(), wait);
          if (next.isEmpty()) {
            return Results.object()
                .putNull("message")
                .put(
                    "next",
                    "nothing waiting; call phisync_receive again, with waitSeconds up to "
                        + MAX_WAIT
                        + " to wait");
          }
          Claim claim = context.phi().transport().renew(next.get(), lease);
          ObjectNode out = Results.object();
          out.set("message", Results.message(claim.envelope()));
          boolean request = claim.envelope().type() != MessageType.NOTIFICATION;
          return out.put("claimToken", claim.handle())
              .put("leaseExpiresAt", claim.leaseExpiresAt().toString())
              .put(
                  "next",
                  request
                      ? "do the work, then phisync_reply with id " + claim.envelope().id()
                      : "handle it, then phisync_ack with id " + claim.envelope().id());
        });
  }

  private Tool reply() {
    return new Tool(
        "phisync_reply",
        "Answer a request you took with phisync_receive: writes the response for the requester"
            + " and marks the request done. Pass payload (a JSON object with your result) or, if"
            + " you could not do it, error (a text). Returns {replied, responseId, to}.",
        InputSchema.object()
            .requiredString("id", ID)
            .object("payload", "Your result as a JSON object, such as {\"summary\": \"...\"}.")
            .string("error", "Instead of payload: why the request failed.")
            .string("claimToken", TOKEN),
        /* readOnly= */ false,
        args -> {
          ObjectNode payload = args.object("payload");
          String error = args.optionalString("error");
          if (payload != null && error != null) {
            throw new ToolError("Pass payload or error, not both.");
          }
          Claim claim = claimed(args.messageId("id"), args.optionalString("claimToken"));
          if (claim.envelope().type() == MessageType.NOTIFICATION) {
            throw new ToolError(
                "Message "
                    + claim.envelope().id()
                    + " is a notification: nobody waits for an answer. Call phisync_ack instead.");
          }
          Envelope response =
              error == null ? bus().reply(claim, payload) : bus().replyError(claim, error);
          ObjectNode out =
              Results.object()
                  .put("replied", claim.envelope().id())
                  .put("responseId", response.id());
          Results.putIfPresent(out, "to", response.to());
          return out;
        });
  }

  private Tool ack() {
    return new Tool(
        "phisync_ack",
        "Mark a message you took with phisync_receive as done, without answering (for"
            + " notifications; answer requests with phisync_reply). Returns {acked}.",
        InputSchema.object().requiredString("id", ID).string("claimToken", TOKEN),
        /* readOnly= */ false,
        args -> {
          Claim claim = claimed(args.messageId("id"), args.optionalString("claimToken"));
          bus().ack(claim);
          return Results.object().put("acked", claim.envelope().id());
        });
  }

  private Tool nack() {
    return new Tool(
        "phisync_nack",
        "Give back a message you took with phisync_receive because you could not handle it. It is"
            + " delivered again later, or dead-lettered after its last attempt. Returns {nacked,"
            + " outcome: \"requeued\" | \"dead-lettered\", attempt, maxAttempts}.",
        InputSchema.object()
            .requiredString("id", ID)
            .requiredString("reason", "Why you could not handle it; kept in its delivery history.")
            .string("claimToken", TOKEN),
        /* readOnly= */ false,
        args -> {
          String reason = args.string("reason");
          Claim claim = claimed(args.messageId("id"), args.optionalString("claimToken"));
          NackOutcome outcome = bus().nack(claim, reason);
          return Results.object()
              .put("nacked", claim.envelope().id())
              .put("outcome", outcome == NackOutcome.REQUEUED ? "requeued" : "dead-lettered")
              .put("attempt", claim.attempt())
              .put("maxAttempts", bus().options().maxAttempts());
        });
  }

  /** The current claim of message {@code id}; an error saying why there is none. */
  private Claim claimed(MessageId id, @Nullable String token) {
    AgentName self = context.self();
    Optional<Claim> claim = bus().findClaim(self, id);
    if (claim.isPresent() && (token == null || token.equals(claim.get().handle()))) {
      return claim.get();
    }
    if (claim.isPresent()) {
      throw new ToolError(
          "Your lease on message "
              + id
              + " ran out and it was delivered again; it is no longer yours. Do not answer it; call phisync_receive for work.");
    }
    if (context.phi().transport().pending(self).stream().anyMatch(e -> e.id().equals(id.value()))) {
      throw new ToolError(
          "Message "
              + id
              + " is waiting in your inbox but is not claimed (or your lease ran out). Call phisync_receive to take it first.");
    }
    if (context.phi().transport().isProcessed(self, id)) {
      throw new ToolError("Message " + id + " is already done; nothing more to do for it.");
    }
    throw new ToolError(
        "You hold no message "
            + id
            + ". Call phisync_inbox or phisync_receive to see your messages.");
  }

  private MessageBus bus() {
    return context.phi().bus();
  }
}
