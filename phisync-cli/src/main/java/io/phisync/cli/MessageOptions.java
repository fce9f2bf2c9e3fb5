package io.phisync.cli;

import io.phisync.protocol.AgentName;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/** The options of a message to send: who, to whom, what. */
@SuppressWarnings("NullAway.Init") // Required options, set by picocli.
final class MessageOptions {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      description = "The sending agent.")
  AgentName from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      description = "The receiving agent; the root must know it.")
  AgentName to;

  @Option(
      names = "--command",
      required = true,
      paramLabel = "COMMAND",
      description = "The operation, written as payload.command.")
  String command;

  @Option(
      names = "--payload",
      paramLabel = "JSON|@FILE",
      converter = PayloadConverter.class,
      description = "A JSON object, inline or read from a file (default: {}).")
  @Nullable ObjectNode payload;
}
