package io.phisync.mcp;

import io.phisync.AgentStatus;
import io.phisync.spi.DeadLetter;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Who is there and how they are doing: agents' status and the dead letters. */
final class AgentTools implements ToolGroup {
  private static final int MAX_LISTED = 50;

  private final ToolContext context;

  AgentTools(ToolContext context) {
    this.context = context;
  }

  @Override
  public List<Tool> tools() {
    return List.of(status(), deadLetters());
  }

  private Tool status() {
    return new Tool(
        "phisync_status",
        "List the agents you can send to, with their status. Returns {self, agents: [{name,"
            + " status, heartbeatAgeSeconds, pending, claimed, deadLetters}]}: self is you; pending"
            + " is how many messages wait in that agent's inbox. Use the names as 'to' in"
            + " phisync_send and phisync_request.",
        InputSchema.object(),
        /* readOnly= */ true,
        args -> {
          ArrayNode agents = Results.object().arrayNode();
          for (AgentStatus s : context.phi().status()) {
            ObjectNode a =
                agents.addObject().put("name", s.agent().value()).put("status", s.status());
            if (s.heartbeatAge() != null) {
              a.put("heartbeatAgeSeconds", s.heartbeatAge().toSeconds());
            }
            a.put("pending", s.pending())
                .put("claimed", s.claimed())
                .put("deadLetters", s.deadLetters());
          }
          ObjectNode out = Results.object().put("self", context.self().value());
          out.set("agents", agents);
          return out;
        });
  }

  private Tool deadLetters() {
    return new Tool(
        "phisync_dead_letters",
        "List the messages that could not be delivered (expired, malformed, or failed too often),"
            + " newest last. Returns {count, deadLetters: [{entryId, agent, messageId, reason,"
            + " at}]}. Replaying or purging them is for a human operator ('phisync dlq').",
        InputSchema.object()
            .string("agent", "Optional: only the dead letters from this agent's inbox."),
        /* readOnly= */ true,
        args -> {
          String agent = args.optionalString("agent") == null ? null : args.agent("agent").value();
          List<DeadLetter> letters =
              context.phi().bus().deadLetters().list().stream()
                  .filter(d -> agent == null || agent.equals(d.agent()))
                  .toList();
          ArrayNode list = Results.object().arrayNode();
          letters.stream()
              .skip(Math.max(0, letters.size() - MAX_LISTED))
              .forEach(
                  d -> {
                    ObjectNode shown =
                        list.addObject().put("entryId", d.entryId()).put("agent", d.agent());
                    Results.putIfPresent(shown, "messageId", d.messageId());
                    shown.put("reason", d.reason()).put("at", d.deadLetteredAt().toString());
                  });
          ObjectNode out = Results.object().put("count", letters.size());
          out.set("deadLetters", list);
          return out;
        });
  }
}
