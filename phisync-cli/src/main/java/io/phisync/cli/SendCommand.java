package io.phisync.cli;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Send a request (or, with --notify, a notification) and print its id.",
      "The response, when one comes, is <to>/outbox/resp-<id>.json."
    })
final class SendCommand extends CliCommand {
  @Mixin MessageOptions message = new MessageOptions();

  @Option(names = "--notify", description = "Send a notification: no response is expected.")
  boolean notify;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Dead-letter the request if nobody took it within this (e.g. 10s, 5m).")
  @Nullable Duration deadline;

  @Override
  public Integer call() {
    if (notify && deadline != null) {
      throw CliException.usage("--deadline applies to requests; a --notify message has none");
    }
    return new Messages(session()).send(message, notify, deadline);
  }
}
