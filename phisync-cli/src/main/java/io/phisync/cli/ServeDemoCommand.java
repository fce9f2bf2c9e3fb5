package io.phisync.cli;

import io.phisync.protocol.AgentName;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The responder process that {@code phisync demo} starts. */
@Command(
    name = "serve-demo",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Answer research requests for the demo, then exit.")
final class ServeDemoCommand extends CliCommand {
  @Option(
      names = "--agent",
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      defaultValue = "webc",
      description = "Whose inbox to answer (default: ${DEFAULT-VALUE}).")
  AgentName agent = AgentName.of("webc");

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "3",
      description = "Requests to answer before exiting.")
  int count = 3;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "60s",
      description = "Give up when no request came for this long.")
  Duration idle = Duration.ofSeconds(60);

  @Override
  public Integer call() throws InterruptedException {
    return new DemoResponder(session()).serve(agent, count, idle);
  }
}
