package io.phisync.mcp;

import io.phisync.bus.Durations;
import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.spi.TraceEntry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Talking to other agents: send, request, and wait for a response. */
final class MessageTools implements ToolGroup {
  private static final long MAX_WAIT = ToolContext.MAX_WAIT.toSeconds();
  private static final long DEFAULT_EXPIRY = Duration.ofHours(1).toSeconds();
  private static final long MAX_EXPIRY = Duration.ofDays(7).toSeconds();

  private final ToolContext context;

  MessageTools(ToolContext context) {
    this.context = context;
  }

  @Override
  public List<Tool> tools() {
    return List.of(send(), request(), waitResponse());
  }

  private Tool send() {
    return new Tool(
        "phisync_send",
        "Send a one-way message (a notification) to another agent, as "
            + context.self()
            + ". Fire-and-forget: no answer comes back. Returns {id, to, type}. When you need an"
            + " answer, use phisync_request instead.",
        InputSchema.object()
            .requiredString(
                "to", "The receiving agent's name, such as \"webc\" (see phisync_status).")
            .requiredString("command", "What the message is about, such as \"build-finished\".")
            .object("payload", "Optional JSON object with the details."),
        /* readOnly= */ false,
        args -> {
          Envelope sent =
              bus()
                  .notify(
                      context.self(),
                      args.agent("to"),
                      args.string("command"),
                      args.object("payload"));
          return Results.object()
              .put("id", sent.id())
              .put("to", sent.to())
              .put("type", MessageType.NOTIFICATION.wireName());
        });
  }

  private Tool request() {
    return new Tool(
        "phisync_request",
        "Ask another agent to do something, as "
            + context.self()
            + ", and wait up to waitSeconds (at most "
            + MAX_WAIT
            + ") for its answer. Returns {status: \"answered\", requestId, from, response} with the"
            + " answer's payload (status \"error\" and an error text if the agent failed), or"
            + " {status: \"pending\", requestId, to, expiresAt} when no answer came in time: then"
            + " call phisync_wait_response with that requestId, now or after other work. Do not"
            + " send the same request again while it is pending.",
        InputSchema.object()
            .requiredString("to", "The agent to ask, such as \"webc\" (see phisync_status).")
            .requiredString(
                "command", "The operation to ask for, such as \"research\" (payload.command).")
            .object(
                "payload",
                "Optional JSON object with the request's arguments, such as {\"topic\": \"OAuth2\"}.")
            .seconds(
                "waitSeconds",
                "How long to wait for the answer in this call; 0 sends and returns at once.",
                0,
                MAX_WAIT,
                30)
            .seconds(
                "expiresInSeconds",
                "How long the request stays valid: if nobody takes it by then it is dead-lettered,"
                    + " and an answer is kept for you until then.",
                1,
                MAX_EXPIRY,
                DEFAULT_EXPIRY),
        /* readOnly= */ false,
        args -> {
          AgentName to = args.agent("to");
          String command = args.string("command");
          ObjectNode payload = args.object("payload");
          Duration wait = args.seconds("waitSeconds", 0, MAX_WAIT, 30);
          Duration expiry = args.seconds("expiresInSeconds", 1, MAX_EXPIRY, DEFAULT_EXPIRY);
          Envelope request = bus().sendRequest(context.self(), to, command, payload, expiry);
          Optional<Envelope> response = bus().awaitResponse(request, wait);
          if (response.isPresent()) {
            return answered(request.id(), response.get());
          }
          ObjectNode pending =
              Results.object()
                  .put("status", "pending")
                  .put("requestId", request.id())
                  .put("to", to.value());
          Results.putIfPresent(
              pending,
              "expiresAt",
              request.expiresAt() == null ? null : request.expiresAt().toString());
          return pending.put("next", "call phisync_wait_response with requestId " + request.id());
        });
  }

  private Tool waitResponse() {
    return new Tool(
        "phisync_wait_response",
        "Wait (long poll, at most "
            + MAX_WAIT
            + " s) for the answer to a request you sent with phisync_request. Returns {status:"
            + " \"answered\", requestId, from, response} (status \"error\" with an error text if the"
            + " agent failed). If no answer came in time this is an error saying the request is"
            + " still pending: call again with the same requestId (or do other work first).",
        InputSchema.object()
            .requiredString("requestId", "The requestId that phisync_request returned.")
            .seconds("waitSeconds", "How long to wait in this call.", 1, MAX_WAIT, 30),
        /* readOnly= */ false,
        args -> {
          MessageId id = args.messageId("requestId");
          Duration wait = args.seconds("waitSeconds", 1, MAX_WAIT, 30);
          Envelope request = findRequest(id);
          Optional<Envelope> response = bus().awaitResponse(request, wait);
          if (response.isEmpty()) {
            throw new ToolError(
                "No answer from "
                    + request.to()
                    + " to request "
                    + id
                    + " within "
                    + Durations.format(wait)
                    + "; it is still pending"
                    + (request.expiresAt() == null
                        ? ""
                        : " (it expires at " + request.expiresAt() + ")")
                    + ". Call phisync_wait_response again with requestId "
                    + id
                    + ", or do other work first.");
          }
          return answered(id.value(), response.get());
        });
  }

  /** The request {@code id} that this agent sent, with its recipient; an error if there is none. */
  private Envelope findRequest(MessageId id) {
    List<TraceEntry> trace = context.phi().trace(id.value());
    Optional<TraceEntry> request =
        trace.stream()
            .filter(e -> e.envelope().id().equals(id.value()))
            .filter(e -> e.envelope().type() != MessageType.RESPONSE)
            .filter(e -> context.self().value().equals(e.envelope().from()))
            .findFirst();
    if (request.isEmpty() || request.get().envelope().to() == null) {
      throw new ToolError(
          "There is no request "
              + id
              + " sent by "
              + context.self()
              + ". Pass the requestId exactly as phisync_request returned it.");
    }
    if (request.get().state().equals("dead-letter")) {
      throw new ToolError(
          "Request "
              + id
              + " was dead-lettered (it expired before anyone took it, or its handler kept"
              + " failing); no answer will come. Send a new request if it is still needed.");
    }
    if (hasResponse(trace, id, "response-taken")) {
      throw new ToolError(
          "The answer to request " + id + " was already received; it is not delivered twice.");
    }
    if (hasResponse(trace, id, "response-expired")) {
      throw new ToolError(
          "The answer to request "
              + id
              + " came after the request expired and was set aside. Send a new request with a"
              + " longer expiresInSeconds if it is still needed.");
    }
    return request.get().envelope();
  }

  private static boolean hasResponse(List<TraceEntry> trace, MessageId id, String state) {
    return trace.stream()
        .anyMatch(e -> e.state().equals(state) && id.value().equals(e.envelope().correlationId()));
  }

  private static ObjectNode answered(String requestId, Envelope response) {
    String error = Results.errorText(response);
    ObjectNode out =
        Results.object()
            .put("status", error == null ? "answered" : "error")
            .put("requestId", requestId);
    Results.putIfPresent(out, "from", response.from());
    if (error != null) {
      out.put("error", error);
    }
    JsonNode payload = response.payload();
    out.set("response", payload == null ? Results.object() : payload);
    return out;
  }

  private MessageBus bus() {
    return context.phi().bus();
  }
}
