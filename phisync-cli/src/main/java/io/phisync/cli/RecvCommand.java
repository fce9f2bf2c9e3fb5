package io.phisync.cli;

import io.phisync.protocol.AgentName;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "recv",
    mixinStandardHelpOptions = true,
    description = {
      "Claim the next message of an agent and print it as JSON.",
      "Answer it with 'phisync reply'; unanswered, it comes back when the lease runs out.",
      "Exits 3 when nothing arrived in time."
    })
final class RecvCommand extends CliCommand {
  @Option(
      names = "--agent",
      required = true,
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      description = "Whose inbox.")
  @SuppressWarnings("NullAway.Init")
  AgentName agent;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "0s",
      description = "How long to wait for a message (default: ${DEFAULT-VALUE}, look once).")
  Duration wait = Duration.ZERO;

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "5m",
      description =
          "How long the claim holds before the message is delivered again"
              + " (default: ${DEFAULT-VALUE}).")
  Duration lease = Duration.ofMinutes(5);

  @Override
  public Integer call() throws InterruptedException {
    return new Messages(session()).receive(agent, wait, lease);
  }
}
