package io.phisync.cli;

import io.phisync.events.EventFilter;
import io.phisync.events.Severity;
import io.phisync.protocol.TopicName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** The event filter options that {@code subscribe} and {@code events} share. */
final class EventFilterOptions {
  @Option(
      names = "--topic",
      split = ",",
      paramLabel = "TOPIC",
      converter = TopicNameConverter.class,
      description = "Topics (default: all).")
  List<TopicName> topics = new ArrayList<>();

  @Option(names = "--type", split = ",", paramLabel = "TYPE", description = "Event types.")
  List<String> types = new ArrayList<>();

  @Option(
      names = "--publisher",
      split = ",",
      paramLabel = "NAME",
      description = "Publishers to take events from.")
  List<String> publishers = new ArrayList<>();

  @Option(
      names = "--min-severity",
      paramLabel = "S",
      converter = SeverityConverter.class,
      description = "The lowest severity (default: debug, i.e. all).")
  Severity minSeverity = Severity.DEBUG;

  EventFilter toFilter() {
    return EventFilter.all()
        .withTopics(new HashSet<>(topics))
        .withTypes(new HashSet<>(types))
        .withPublishers(new HashSet<>(publishers))
        .withMinSeverity(minSeverity);
  }
}
