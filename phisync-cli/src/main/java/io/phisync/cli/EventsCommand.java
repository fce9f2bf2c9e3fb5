package io.phisync.cli;

import io.phisync.events.EventFilter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "List retained events, oldest first (read-only: no cursor moves).",
    })
final class EventsCommand extends CliCommand {
  @Mixin EventFilterOptions filterOptions = new EventFilterOptions();

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
    EventFilter filter = filterOptions.toFilter();
    return new EventTasks(session()).list(filter, since, limit, json);
  }
}
