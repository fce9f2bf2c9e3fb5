package io.phisync.cli;

import io.phisync.AgentStatus;
import io.phisync.PhiSync;
import io.phisync.bus.Durations;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.spi.TraceEntry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The read-only views: an inbox, every agent's status, one conversation. */
final class Listings {
  private final Session session;

  Listings(Session session) {
    this.session = session;
  }

  int inbox(AgentName agent, boolean json) {
    try (PhiSync phi = session.open()) {
      List<Envelope> pending = phi.transport().pending(agent);
      if (json) {
        session.out().println(Json.pretty(pending));
        return ExitCodes.OK;
      }
      Table table = new Table("ID", "TYPE", "FROM", "COMMAND", "TIMESTAMP");
      for (Envelope e : pending) {
        table.row(
            e.id(),
            text(e.type() == null ? null : e.type().wireName()),
            text(e.from()),
            e.command().orElse("-"),
            text(e.timestamp()));
      }
      printOrSay(table, "the inbox of " + agent + " is empty");
    }
    return ExitCodes.OK;
  }

  int status(boolean json) {
    try (PhiSync phi = session.open()) {
      List<AgentStatus> agents = phi.status();
      if (json) {
        ArrayNode out = Json.mapper().createArrayNode();
        agents.forEach(a -> out.add(toJson(a)));
        session.out().println(Json.pretty(out));
        return ExitCodes.OK;
      }
      Table table = new Table("AGENT", "STATUS", "HEARTBEAT", "INBOX", "CLAIMED", "DLQ");
      for (AgentStatus a : agents) {
        table.row(
            a.agent().value(),
            a.status(),
            age(a.heartbeatAge()),
            String.valueOf(a.pending()),
            String.valueOf(a.claimed()),
            String.valueOf(a.deadLetters()));
      }
      printOrSay(table, "no agents under " + phi.root() + "; create them with 'phisync init'");
    }
    return ExitCodes.OK;
  }

  int trace(MessageId id, boolean json) {
    try (PhiSync phi = session.open()) {
      List<TraceEntry> entries = phi.trace(id.value());
      if (json) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (TraceEntry e : entries) {
          out.addObject()
              .put("location", e.location())
              .put("state", e.state())
              .set("envelope", Json.mapper().valueToTree(e.envelope()));
        }
        session.out().println(Json.pretty(out));
        return ExitCodes.OK;
      }
      Table table = new Table("TIMESTAMP", "STATE", "TYPE", "FROM", "TO", "ID", "LOCATION");
      for (TraceEntry entry : entries) {
        Envelope e = entry.envelope();
        table.row(
            text(e.timestamp()),
            entry.state(),
            text(e.type() == null ? null : e.type().wireName()),
            text(e.from()),
            text(e.to()),
            e.id(),
            entry.location());
      }
      printOrSay(table, "no message with id, correlation id or causation id " + id);
    }
    return ExitCodes.OK;
  }

  private void printOrSay(Table table, String whenEmpty) {
    if (table.isEmpty()) {
      session.err().println(whenEmpty);
    } else {
      table.print(session.out());
    }
  }

  private static ObjectNode toJson(AgentStatus a) {
    ObjectNode node = Json.object().put("agent", a.agent().value()).put("status", a.status());
    OffsetDateTime beat = a.lastHeartbeat();
    Duration age = a.heartbeatAge();
    node.put("lastHeartbeat", beat == null ? null : beat.toString());
    node.put("heartbeatAgeMillis", age == null ? null : age.toMillis());
    return node.put("pending", a.pending())
        .put("claimed", a.claimed())
        .put("deadLetters", a.deadLetters());
  }

  static String age(@Nullable Duration age) {
    if (age == null) {
      return "-";
    }
    return Durations.format(age.isNegative() ? Duration.ZERO : age) + " ago";
  }

  static String text(@Nullable Object value) {
    return value == null ? "-" : Objects.toString(value);
  }
}
