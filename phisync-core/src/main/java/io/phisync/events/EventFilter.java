package io.phisync.events;

import io.phisync.protocol.Json;
import io.phisync.protocol.TopicName;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which events a subscriber wants. An empty set means any; every condition must hold.
 *
 * @param topics the topics to read (empty: every topic, including ones that appear later)
 * @param types event types to deliver
 * @param minSeverity the lowest severity to deliver
 * @param publishers publishers to deliver from
 */
public record EventFilter(
    Set<TopicName> topics, Set<String> types, Severity minSeverity, Set<String> publishers) {

  public EventFilter {
    topics = Set.copyOf(topics);
    types = Set.copyOf(types);
    publishers = Set.copyOf(publishers);
  }

  /** Every event of every topic. */
  public static EventFilter all() {
    return new EventFilter(Set.of(), Set.of(), Severity.DEBUG, Set.of());
  }

  /** Every event of these topics. */
  public static EventFilter topics(TopicName... topics) {
    return all().withTopics(Set.of(topics));
  }

  public EventFilter withTopics(Set<TopicName> value) {
    return new EventFilter(value, types, minSeverity, publishers);
  }

  public EventFilter withTypes(Set<String> value) {
    return new EventFilter(topics, value, minSeverity, publishers);
  }

  public EventFilter withMinSeverity(Severity value) {
    return new EventFilter(topics, types, value, publishers);
  }

  public EventFilter withPublishers(Set<String> value) {
    return new EventFilter(topics, types, minSeverity, value);
  }

  /** Whether {@code event} passes (its topic is checked by the reader, not here). */
  public boolean matches(Event event) {
    return (types.isEmpty() || types.contains(event.eventType()))
        && event.level().compareTo(minSeverity) >= 0
        && (publishers.isEmpty()
            || (event.publisher() != null && publishers.contains(event.publisher())));
  }

  /** The filter as JSON, as recorded in a cursor file. */
  public ObjectNode toJson() {
    ObjectNode json = Json.object();
    topics.stream().map(TopicName::value).sorted().forEach(json.putArray("topics")::add);
    new TreeSet<>(types).forEach(json.putArray("types")::add);
    json.put("minSeverity", minSeverity.wireName());
    new TreeSet<>(publishers).forEach(json.putArray("publishers")::add);
    return json;
  }
}
