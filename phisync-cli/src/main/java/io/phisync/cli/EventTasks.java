package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.bus.Durations;
import io.phisync.events.Event;
import io.phisync.events.EventFilter;
import io.phisync.events.Severity;
import io.phisync.events.Subscription;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.Timestamps;
import io.phisync.protocol.TopicName;
import io.phisync.spi.UnknownAgentException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** publish, subscribe, events. */
final class EventTasks {
  private final Session session;

  EventTasks(Session session) {
    this.session = session;
  }

  int publish(
      TopicName topic, AgentName from, String type, Severity severity, @Nullable ObjectNode data) {
    if (type.isBlank()) {
      throw CliException.usage("--type must not be blank");
    }
    try (PhiSync phi = session.open()) {
      Event event = phi.events().publish(topic, from, type, severity, data);
      session.out().println(event.id() + " " + event.topic() + "#" + event.sequence());
    }
    return ExitCodes.OK;
  }

  int subscribe(AgentName agent, AgentName name, EventFilter filter, boolean follow) {
    try (PhiSync phi = session.open()) {
      try {
        if (!follow) {
          phi.events().catchUp(agent, name, filter, this::print);
          return ExitCodes.OK;
        }
        try (Subscription subscription = phi.events().subscribe(agent, name, filter, this::print)) {
          subscription.awaitClosed(); // Until Ctrl-C: the cursor is saved after every event.
        }
      } catch (UnknownAgentException e) {
        throw CliException.usage(String.valueOf(e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ExitCodes.OK;
  }

  private void print(Event event) {
    session.out().println(event.toJsonLine());
    session.out().flush();
  }

  int list(EventFilter filter, @Nullable String since, int limit, boolean json) {
    if (limit < 1) {
      throw CliException.usage("--limit must be at least 1, got " + limit);
    }
    try (PhiSync phi = session.open()) {
      List<Event> events = phi.events().list(filter, since == null ? null : since(since), limit);
      if (json) {
        ArrayNode out = Json.mapper().createArrayNode();
        events.forEach(e -> out.add(e.toJson().put("sequence", e.sequence())));
        session.out().println(Json.pretty(out));
        return ExitCodes.OK;
      }
      Table table = new Table("TIMESTAMP", "TOPIC", "SEQ", "TYPE", "SEVERITY", "PUBLISHER", "ID");
      for (Event e : events) {
        table.row(
            e.timestamp().toString(),
            e.topic().value(),
            String.valueOf(e.sequence()),
            e.eventType(),
            e.severity(),
            Listings.text(e.publisher()),
            e.id());
      }
      if (table.isEmpty()) {
        session.err().println("no events");
      } else {
        table.print(session.out());
      }
    }
    return ExitCodes.OK;
  }

  private static OffsetDateTime since(String text) {
    try {
      return Timestamps.parse(text);
    } catch (DateTimeException notATimestamp) {
      try {
        return OffsetDateTime.now().minus(Durations.parse(text));
      } catch (IllegalArgumentException notADuration) {
        throw CliException.usage(
            "invalid --since '" + text + "': expected an ISO-8601 timestamp or a duration (10m)");
      }
    }
  }
}
