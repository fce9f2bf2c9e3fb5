package io.phisync.cli;

import io.phisync.protocol.AgentName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "inbox",
    mixinStandardHelpOptions = true,
    description = "List the messages waiting in an agent's inbox, oldest first.")
final class InboxCommand extends CliCommand {
  @Option(
      names = "--agent",
      required = true,
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      description = "Whose inbox.")
  @SuppressWarnings("NullAway.Init")
  AgentName agent;

  @Option(names = "--json", description = "Print the envelopes as a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    return new Listings(session()).inbox(agent, json);
  }
}
