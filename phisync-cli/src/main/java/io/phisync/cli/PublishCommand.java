package io.phisync.cli;

import io.phisync.events.Severity;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.TopicName;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish an event to a topic and print its id and place: <id> <topic>#<sequence>.",
      "Every subscriber of the topic gets it, also one that is down now."
    })
final class PublishCommand extends CliCommand {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      description = "The publisher.")
  @SuppressWarnings("NullAway.Init")
  AgentName from;

  @Option(names = "--type", required = true, paramLabel = "TYPE", description = "The eventType.")
  @SuppressWarnings("NullAway.Init")
  String type;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      converter = TopicNameConverter.class,
      description = "The topic (default: default).")
  TopicName topic = TopicName.DEFAULT;

  @Option(
      names = "--severity",
      paramLabel = "S",
      converter = SeverityConverter.class,
      description = "debug, info (default), low, medium, warning, high or critical.")
  Severity severity = Severity.INFO;

  @Option(
      names = "--data",
      paramLabel = "JSON",
      converter = PayloadConverter.class,
      description = "The event's data: a JSON object, or @FILE.")
  @Nullable ObjectNode data;

  @Override
  public Integer call() {
    return new EventTasks(session()).publish(topic, from, type, severity, data);
  }
}
