package io.phisync.cli;

import io.phisync.events.EventFilter;
import io.phisync.protocol.AgentName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin EventFilterOptions filterOptions = new EventFilterOptions();

  @Option(names = "--follow", description = "Keep streaming new events until interrupted.")
  boolean follow;

  @Override
  public Integer call() {
    EventFilter filter = filterOptions.toFilter();
    return new EventTasks(session()).subscribe(agent, name, filter, follow);
  }
}
