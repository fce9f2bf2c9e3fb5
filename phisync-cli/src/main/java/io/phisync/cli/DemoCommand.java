package io.phisync.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Show a request/response round trip between two processes.",
      "Uses a fresh temporary root unless --root is given, and keeps it so you can look at the",
      "files; --clean removes the temporary root at the end."
    })
final class DemoCommand extends CliCommand {
  @Option(names = "--clean", description = "Remove the temporary root at the end.")
  boolean clean;

  @Option(
      names = "--requests",
      paramLabel = "N",
      defaultValue = "3",
      description = "How many requests dc sends (1 to 5, default: ${DEFAULT-VALUE}).")
  int requests = 3;

  @Override
  public Integer call() throws InterruptedException {
    return new Demo(session()).run(clean, requests);
  }
}
