package io.phisync.cli;

import io.phisync.events.EventFilter;
import io.phisync.events.Severity;
import io.phisync.protocol.TopicName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "List retained events, oldest first (read-only: no cursor moves).",
    })
final class EventsCommand extends CliCommand {
  @Option(
      names = "--topic",
      split = ",",
      paramLabel = "TOPIC",
      converter = TopicNameConverter.class,
      description = "Topics to list (default: all).")
  List<TopicName> topics = new ArrayList<>();

  @Option(names = "--type", split = ",", paramLabel = "TYPE", description = "Event types.")
  List<String> types = new ArrayList<>();

  @Option(
      names = "--min-severity",
      paramLabel = "S",
      converter = SeverityConverter.class,
      description = "The lowest severity to list.")
  Severity minSeverity = Severity.DEBUG;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "A timestamp (ISO-8601) or a duration back from now (e.g. 10m, 2h).")
  @Nullable String since;

  @Option(names = "--limit", paramLabel = "N", description = "At most the newest N (default 100).")
  int limit = 100;

  @Option(names = "--json", description = "A JSON array instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    EventFilter filter =
        EventFilter.all()
            .withTopics(new HashSet<>(topics))
            .withTypes(new HashSet<>(types))
            .withMinSeverity(minSeverity);
    return new EventTasks(session()).list(filter, since, limit, json);
  }
}
