package io.phisync.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Every agent: status, heartbeat age, inbox depth, claimed messages, dead letters.")
final class StatusCommand extends CliCommand {
  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    return new Listings(session()).status(json);
  }
}
