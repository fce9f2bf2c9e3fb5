package io.phisync.cli;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.MessageId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "nack",
    mixinStandardHelpOptions = true,
    description = {
      "Give a claimed message back after a failure, to be delivered again.",
      "At its last attempt (5 by default) it is dead-lettered with its delivery history.",
      "Works on claims made by any process (such as an earlier 'phisync recv')."
    })
final class NackCommand extends CliCommand {
  @Option(
      names = "--agent",
      required = true,
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      description = "The agent that claimed the message.")
  @SuppressWarnings("NullAway.Init")
  AgentName agent;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "MESSAGE_ID",
      converter = MessageIdConverter.class,
      description = "The id of the claimed message.")
  @SuppressWarnings("NullAway.Init")
  MessageId id;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why it failed; kept in the message's delivery history.")
  @SuppressWarnings("NullAway.Init")
  String reason;

  @Override
  public Integer call() {
    return new Messages(session()).nack(agent, id, reason);
  }
}
