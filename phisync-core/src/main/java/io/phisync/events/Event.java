package io.phisync.events;

import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.Timestamps;
import io.phisync.protocol.TopicName;
import io.phisync.spi.StoredEvent;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event, in the codex's shape plus its place in its topic.
 *
 * @param id unique id ({@link MessageId} rule); subscribers deduplicate by it
 * @param timestamp when it was published
 * @param eventType what happened, e.g. {@code vulnerability_found}
 * @param publisher who published it (an agent name for PhiSync's publishers; any text for foreign
 *     ones), if known
 * @param severity as written; {@link #level()} places it on the scale
 * @param data the event's content, if any
 * @param topic its topic
 * @param sequence its position in the topic, from 1; 0 for an event not yet published
 * @param extra other top-level fields, kept as written
 */
public record Event(
    String id,
    OffsetDateTime timestamp,
    String eventType,
    @Nullable String publisher,
    String severity,
    @Nullable JsonNode data,
    TopicName topic,
    long sequence,
    Map<String, JsonNode> extra) {
  private static final Set<String> KNOWN =
      Set.of("id", "timestamp", "eventType", "publisher", "severity", "data", "topic");

  public Event {
    MessageId.of(id);
    if (eventType.isBlank()) {
      throw new IllegalArgumentException("an event needs an eventType");
    }
    extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /** The severity on the scale; a value not on it counts as {@link Severity#INFO}. */
  public Severity level() {
    return Severity.find(severity).orElse(Severity.INFO);
  }

  /** The event as stored in its file (without the sequence, which is the file's name). */
  public ObjectNode toJson() {
    ObjectNode json = Json.object().put("id", id).put("timestamp", timestamp.toString());
    json.put("eventType", eventType);
    if (publisher != null) {
      json.put("publisher", publisher);
    }
    json.put("severity", severity);
    if (data != null) {
      json.set("data", data);
    }
    json.put("topic", topic.value());
    extra.forEach(json::set);
    return json;
  }

  /**
   * Reads a stored event.
   *
   * @throws IllegalArgumentException when it lacks an id, a timestamp or an eventType
   */
  public static Event of(StoredEvent stored) {
    ObjectNode json = stored.json();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      if (!KNOWN.contains(field.getKey())) {
        extra.put(field.getKey(), field.getValue());
      }
    }
    JsonNode data = json.get("data");
    return new Event(
        json.path("id").asString(""),
        Timestamps.parse(json.path("timestamp").asString("")),
        json.path("eventType").asString(""),
        json.path("publisher").isString() ? json.get("publisher").asString() : null,
        json.path("severity").isString() ? json.get("severity").asString() : "info",
        data == null || data.isNull() ? null : data,
        stored.topic(),
        stored.sequence(),
        extra);
  }

  /** The event as one compact JSON line, with its {@code sequence}: what `subscribe` prints. */
  public String toJsonLine() {
    ObjectNode json = toJson();
    json.put("sequence", sequence);
    return Json.compact(json);
  }
}
