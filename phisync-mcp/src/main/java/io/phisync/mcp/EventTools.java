package io.phisync.mcp;

import io.phisync.events.Event;
import io.phisync.events.EventFilter;
import io.phisync.events.Severity;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.InvalidNameException;
import io.phisync.protocol.TopicName;
import io.phisync.spi.EventLog;
import io.phisync.spi.StoredEvent;
import io.phisync.spi.SubscriptionCursor;
import io.phisync.spi.Wakeup;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events: publish one, read a durable subscription, wait for the next.
 *
 * <p>A subscription read here moves its cursor only when the caller acknowledges what it got (the
 * {@code ack} it passes back), so an assistant that stops between reading events and acting on them
 * reads them again: at-least-once, as for every PhiSync subscriber.
 */
final class EventTools implements ToolGroup {
  private static final Logger LOG = LoggerFactory.getLogger(EventTools.class);
  private static final long MAX_WAIT = ToolContext.MAX_WAIT.toSeconds();
  private static final long DEFAULT_WAIT = 30;
  private static final int DEFAULT_MAX = 20;
  private static final int MAX_EVENTS = 100;
  private static final int BATCH = 100;
  private static final String DEFAULT_SUBSCRIPTION = "mcp";
  private static final List<String> SEVERITIES =
      Arrays.stream(Severity.values()).map(Severity::wireName).toList();
  private static final String TOPIC_RULE =
      "lowercase letters, digits, '-' or '_', a letter first, e.g. \"builds\"";

  private final ToolContext context;

  /** Guards each read-modify-write of a cursor within this server. */
  private final Object cursors = new Object();

  EventTools(ToolContext context) {
    this.context = context;
  }

  @Override
  public List<Tool> tools() {
    return List.of(publish(), readEvents(), waitEvent());
  }

  private Tool publish() {
    return new Tool(
        "phisync_publish",
        "Publish an event, a fact for whoever subscribes to its topic (build_failed,"
            + " vulnerability_found); you ("
            + context.self()
            + ") are its publisher. Returns {id, topic, sequence, timestamp}. To ask one agent for"
            + " work, use phisync_request instead.",
        InputSchema.object()
            .requiredString("topic", "The topic: " + TOPIC_RULE + ".")
            .requiredString("eventType", "What happened, e.g. \"build_failed\".")
            .oneOf("severity", "How severe it is; info when absent.", SEVERITIES)
            .object("data", "Optional: the event's content as a JSON object."),
        /* readOnly= */ false,
        args -> {
          TopicName topic = topic("topic", args.string("topic"));
          String type = args.string("eventType");
          Severity severity = severity(args.optionalString("severity"), Severity.INFO);
          Event event =
              context
                  .phi()
                  .events()
                  .publish(topic, context.self(), type, severity, args.object("data"));
          return Results.object()
              .put("id", event.id())
              .put("topic", event.topic().value())
              .put("sequence", event.sequence())
              .put("timestamp", event.timestamp().toString());
        });
  }

  private Tool readEvents() {
    return new Tool(
        "phisync_read_events",
        "Read the next events of your durable subscription (its cursor is kept on disk, per"
            + " topic), oldest first, that match the filters; returns at once. Returns {events:"
            + " [{topic, sequence, id, eventType, severity, publisher, timestamp, data}], ack, more}."
            + " The cursor moves only when you acknowledge: after handling the events, pass the"
            + " returned ack object as 'ack' in your next call (with max 0 to only acknowledge)."
            + " Until then the same events come again, so nothing is lost if you stop midway."
            + " more: true when unread events remain. To wait when there are none, use"
            + " phisync_wait_event.",
        filters(
                InputSchema.object()
                    .string(
                        "subscription",
                        "Your subscription's name (lowercase letters, digits, '-', '_'); \""
                            + DEFAULT_SUBSCRIPTION
                            + "\" when absent. A new one starts at the oldest kept event.")
                    .object(
                        "ack",
                        "The ack object the previous call returned, e.g. {\"builds\": 8}: marks those"
                            + " events handled, so the cursor moves past them."))
            .integer(
                "max", "At most this many events (default " + DEFAULT_MAX + ").", 0, MAX_EVENTS),
        /* readOnly= */ false,
        args -> read(args, subscription(args), Duration.ZERO));
  }

  private Tool waitEvent() {
    return new Tool(
        "phisync_wait_event",
        "Wait up to waitSeconds (at most "
            + MAX_WAIT
            + ") for events matching the filters and return them as soon as there are any. With"
            + " 'subscription', it reads that durable subscription exactly as phisync_read_events"
            + " does (same ack rule) but waits while nothing is new. Without it, it returns only"
            + " events published after the call starts, and remembers nothing. Returns {events,"
            + " ack, more}; events is empty when nothing came in time: call it again to keep"
            + " waiting.",
        filters(
                InputSchema.object()
                    .string(
                        "subscription",
                        "Optional: your durable subscription's name, as in phisync_read_events.")
                    .object(
                        "ack", "With a subscription: the ack object the previous call returned."))
            .integer(
                "max", "At most this many events (default " + DEFAULT_MAX + ").", 1, MAX_EVENTS)
            .seconds("waitSeconds", "How long to wait for an event.", 1, MAX_WAIT, DEFAULT_WAIT),
        /* readOnly= */ false,
        args -> {
          Duration wait = args.seconds("waitSeconds", 1, MAX_WAIT, DEFAULT_WAIT);
          if (args.optionalString("subscription") != null) {
            return read(args, subscription(args), wait);
          }
          if (args.object("ack") != null) {
            throw new ToolError("'ack' needs the 'subscription' it belongs to.");
          }
          return waitForNew(args, wait);
        });
  }

  private static InputSchema filters(InputSchema schema) {
    return schema
        .strings("topics", "Optional: only these topics (all topics, also new ones, when absent).")
        .strings("types", "Optional: only these event types, e.g. [\"build_failed\"].")
        .oneOf("minSeverity", "Optional: only events at least this severe.", SEVERITIES);
  }

  /**
   * Reads the subscription from its cursor, first applying {@code ack}; waits up to {@code wait}.
   */
  private JsonNode read(Args args, AgentName subscription, Duration wait)
      throws InterruptedException {
    EventFilter filter = filter(args);
    int max = (int) (long) orDefault(args.integer("max", 0, MAX_EVENTS), DEFAULT_MAX);
    ObjectNode ack = args.object("ack");
    EventLog log = context.phi().transport().events();
    ObjectNode acknowledged = null;
    if (ack != null) {
      acknowledged = acknowledge(log, subscription, filter, ack);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    try (Wakeup wakeup = log.watch(filter.topics())) {
      while (true) {
        log.ingestForeign();
        Scan scan;
        synchronized (cursors) {
          SubscriptionCursor cursor = cursor(log, subscription, filter);
          scan = scan(log, cursor.next(), filter, max);
          if (scan.events.isEmpty() && !scan.positions.isEmpty()) {
            // Only events that do not match were passed: nothing to hand out, nothing to lose.
            log.saveCursor(advance(cursor, scan.positions));
          }
        }
        long left = deadline - System.nanoTime();
        if (!scan.events.isEmpty() || left <= 0 || max == 0) {
          ObjectNode out = result(scan, true);
          out.put("subscription", subscription.value());
          if (acknowledged != null) {
            out.set("acknowledged", acknowledged);
          }
          return out;
        }
        wakeup.await(Duration.ofNanos(left));
      }
    }
  }

  /** Waits for events published after now; moves no cursor. */
  private JsonNode waitForNew(Args args, Duration wait) throws InterruptedException {
    EventFilter filter = filter(args);
    int max = (int) (long) orDefault(args.integer("max", 1, MAX_EVENTS), DEFAULT_MAX);
    EventLog log = context.phi().transport().events();
    long deadline = System.nanoTime() + wait.toNanos();
    try (Wakeup wakeup = log.watch(filter.topics())) {
      log.ingestForeign();
      Map<TopicName, Long> from = new HashMap<>();
      for (TopicName topic : topics(log, filter)) {
        from.put(topic, log.nextSequence(topic));
      }
      while (true) {
        Scan scan = scan(log, from, filter, max);
        from.putAll(scan.positions);
        long left = deadline - System.nanoTime();
        if (!scan.events.isEmpty() || left <= 0) {
          return result(scan, false);
        }
        wakeup.await(Duration.ofNanos(left));
        log.ingestForeign();
      }
    }
  }

  private ObjectNode result(Scan scan, boolean subscribed) {
    ArrayNode events = Results.object().arrayNode();
    scan.events.forEach(e -> events.add(shown(e)));
    ObjectNode out = Results.object();
    out.set("events", events);
    if (subscribed && !scan.events.isEmpty()) {
      ObjectNode ack = out.putObject("ack");
      scan.positions.forEach((topic, next) -> ack.put(topic.value(), next));
    } else {
      out.putNull("ack");
    }
    out.put("more", scan.more);
    String next;
    if (scan.events.isEmpty()) {
      next = "no new events; phisync_wait_event waits up to " + MAX_WAIT + " s for some";
    } else if (subscribed) {
      next = "handle these, then pass ack in your next phisync_read_events call";
    } else {
      next = "to wait for more, call phisync_wait_event again";
    }
    return out.put("next", next);
  }

  private static ObjectNode shown(Event event) {
    ObjectNode out =
        Results.object()
            .put("topic", event.topic().value())
            .put("sequence", event.sequence())
            .put("id", event.id())
            .put("eventType", event.eventType())
            .put("severity", event.severity());
    Results.putIfPresent(out, "publisher", event.publisher());
    out.put("timestamp", event.timestamp().toString());
    if (event.data() != null) {
      out.set("data", event.data());
    }
    return out;
  }

  /**
   * Moves the cursor forward to what {@code ack} says was handled; never back, never past the end.
   */
  private ObjectNode acknowledge(
      EventLog log, AgentName subscription, EventFilter filter, ObjectNode ack) {
    Map<TopicName, Long> positions = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : ack.properties()) {
      TopicName topic = topic("ack", entry.getKey());
      JsonNode value = entry.getValue();
      if (!value.canConvertToLong() || value.asLong() < 1 || !value.isIntegralNumber()) {
        throw new ToolError(
            "'ack' must map topics to the sequence numbers a read returned, e.g. {\"builds\": 8};"
                + " pass the ack object exactly as phisync_read_events returned it.");
      }
      positions.put(topic, Math.min(value.asLong(), log.nextSequence(topic)));
    }
    synchronized (cursors) {
      SubscriptionCursor cursor = cursor(log, subscription, filter);
      SubscriptionCursor advanced = advance(cursor, positions);
      log.saveCursor(advanced);
      ObjectNode out = Results.object();
      advanced.next().forEach((topic, next) -> out.put(topic.value(), next));
      return out;
    }
  }

  private static SubscriptionCursor advance(
      SubscriptionCursor cursor, Map<TopicName, Long> positions) {
    SubscriptionCursor out = cursor;
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (Map.Entry<TopicName, Long> p : positions.entrySet()) {
      if (p.getValue() > out.next(p.getKey())) {
        out = out.with(p.getKey(), p.getValue(), now);
      }
    }
    return out;
  }

  private SubscriptionCursor cursor(EventLog log, AgentName subscription, EventFilter filter) {
    return log.cursor(context.self(), subscription)
        .orElseGet(
            () ->
                SubscriptionCursor.start(
                    context.self(), subscription, OffsetDateTime.now(ZoneOffset.UTC)))
        .withFilter(filter.toJson());
  }

  /**
   * Up to {@code max} matching events from {@code from} (per topic, the next sequence; absent or 0:
   * the first kept), with, per topic read, the sequence after the last event passed.
   */
  private static Scan scan(EventLog log, Map<TopicName, Long> from, EventFilter filter, int max) {
    List<Event> events = new ArrayList<>();
    Map<TopicName, Long> positions = new TreeMap<>();
    boolean more = false;
    for (TopicName topic : topics(log, filter)) {
      long next = from.getOrDefault(topic, 0L);
      boolean full = false;
      while (!full) {
        List<StoredEvent> batch = log.read(topic, next, BATCH);
        if (batch.isEmpty()) {
          break;
        }
        for (StoredEvent stored : batch) {
          if (events.size() >= max) {
            full = true;
            more = true;
            break;
          }
          next = stored.sequence() + 1;
          positions.put(topic, next);
          try {
            Event event = Event.of(stored);
            if (filter.matches(event)) {
              events.add(event);
            }
          } catch (RuntimeException e) {
            LOG.warn(
                "skipping unreadable event {} of {}: {}", stored.sequence(), topic, e.toString());
          }
        }
      }
    }
    return new Scan(events, positions, more);
  }

  private static Set<TopicName> topics(EventLog log, EventFilter filter) {
    return filter.topics().isEmpty() ? log.topics() : new LinkedHashSet<>(filter.topics());
  }

  private EventFilter filter(Args args) {
    Set<TopicName> topics = new LinkedHashSet<>();
    for (String t : args.strings("topics")) {
      topics.add(topic("topics", t));
    }
    return EventFilter.all()
        .withTopics(topics)
        .withTypes(Set.copyOf(args.strings("types")))
        .withMinSeverity(severity(args.optionalString("minSeverity"), Severity.DEBUG));
  }

  private static AgentName subscription(Args args) {
    String name = args.optionalString("subscription");
    try {
      return AgentName.of(name == null ? DEFAULT_SUBSCRIPTION : name);
    } catch (InvalidNameException e) {
      throw new ToolError(
          "'subscription': "
              + e.getMessage()
              + ". Use a name such as \""
              + DEFAULT_SUBSCRIPTION
              + "\" or \"alerts\".");
    }
  }

  private static TopicName topic(String argument, String value) {
    try {
      return TopicName.of(value);
    } catch (InvalidNameException e) {
      throw new ToolError(
          "'" + argument + "': " + e.getMessage() + ". A topic is " + TOPIC_RULE + ".");
    }
  }

  private static Severity severity(@Nullable String value, Severity defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    return Severity.find(value)
        .orElseThrow(
            () ->
                new ToolError(
                    "unknown severity '"
                        + value
                        + "': use one of "
                        + String.join(", ", SEVERITIES)
                        + "."));
  }

  private static long orDefault(@Nullable Long value, long defaultValue) {
    return value == null ? defaultValue : value;
  }

  /** What a scan found. */
  private record Scan(List<Event> events, Map<TopicName, Long> positions, boolean more) {}
}
