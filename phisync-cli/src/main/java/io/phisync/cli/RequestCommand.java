package io.phisync.cli;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "request",
    mixinStandardHelpOptions = true,
    description = {
      "Send a request, wait for the response and print it as JSON.",
      "Exits 124 when no response came in time, 5 when the response is an error."
    })
final class RequestCommand extends CliCommand {
  @Mixin MessageOptions message = new MessageOptions();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "30s",
      description = "How long to wait for the response (default: ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofSeconds(30);

  @Override
  public Integer call() throws InterruptedException {
    return new Messages(session()).request(message, timeout);
  }
}
