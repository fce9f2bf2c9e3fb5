package io.phisync.cli;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.MessageId;
import picocli.CommandLine.Option;

/** The options that name a claimed message: whose inbox, and which id. */
final class ClaimedMessage {
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
}
