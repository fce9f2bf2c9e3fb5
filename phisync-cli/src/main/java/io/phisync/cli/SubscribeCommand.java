package io.phisync.cli;

import io.phisync.events.EventFilter;
import io.phisync.events.Severity;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.TopicName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    description = {
      "Print the events a durable subscription has not had yet, one JSON line each, in each",
      "topic's order, and advance its cursor (<agent>/subscriptions/<name>.json).",
      "With --follow, keep printing new events until interrupted (Ctrl-C)."
    })
final class SubscribeCommand extends CliCommand {
  @Option(
      names = "--agent",
      required = true,
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      description = "The subscribing agent.")
  @SuppressWarnings("NullAway.Init")
  AgentName agent;

  @Option(
      names = "--name",
      paramLabel = "SUB",
      converter = AgentNameConverter.class,
      description = "The subscription's name (default: default); each has its own cursor.")
  AgentName name = AgentName.of("default");

  @Option(
      names = "--topic",
      split = ",",
      paramLabel = "TOPIC",
      converter = TopicNameConverter.class,
      description = "Topics to read (default: all).")
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
      description = "The lowest severity to print (default: debug, i.e. all).")
  Severity minSeverity = Severity.DEBUG;

  @Option(names = "--follow", description = "Keep streaming new events until interrupted.")
  boolean follow;

  @Override
  public Integer call() {
    EventFilter filter =
        EventFilter.all()
            .withTopics(new HashSet<>(topics))
            .withTypes(new HashSet<>(types))
            .withPublishers(new HashSet<>(publishers))
            .withMinSeverity(minSeverity);
    return new EventTasks(session()).subscribe(agent, name, filter, follow);
  }
}
