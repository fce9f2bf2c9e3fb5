package io.phisync.cli;

import io.phisync.protocol.MessageId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description =
        "Every stored file of one conversation, oldest first: the messages with this id,"
            + " correlation id or causation id.")
final class TraceCommand extends CliCommand {
  @Parameters(
      paramLabel = "CORRELATION_ID",
      converter = MessageIdConverter.class,
      description = "A message id or correlation id.")
  @SuppressWarnings("NullAway.Init")
  MessageId id;

  @Option(names = "--json", description = "Print a JSON array of {location, state, envelope}.")
  boolean json;

  @Override
  public Integer call() {
    return new Listings(session()).trace(id, json);
  }
}
