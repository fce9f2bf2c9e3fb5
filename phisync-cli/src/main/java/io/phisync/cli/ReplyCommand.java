package io.phisync.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

@Command(
    name = "reply",
    mixinStandardHelpOptions = true,
    description = {
      "Answer a claimed message: write <agent>/outbox/resp-<id>.json and acknowledge it.",
      "Works on claims made by any process (such as an earlier 'phisync recv')."
    })
final class ReplyCommand extends CliCommand {
  @Mixin ClaimedMessage message = new ClaimedMessage();

  @Option(
      names = "--payload",
      paramLabel = "JSON|@FILE",
      converter = PayloadConverter.class,
      description = "The response payload, a JSON object (default: {}).")
  @Nullable ObjectNode payload;

  @Option(
      names = "--error",
      paramLabel = "TEXT",
      description = "Answer with an error response (payload.error) instead.")
  @Nullable String error;

  @Override
  public Integer call() {
    if (payload != null && error != null) {
      throw CliException.usage("give --payload or --error, not both");
    }
    return new Messages(session()).reply(message.agent, message.id, payload, error);
  }
}
