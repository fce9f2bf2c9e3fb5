package io.phisync.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "nack",
    mixinStandardHelpOptions = true,
    description = {
      "Give a claimed message back after a failure, to be delivered again.",
      "At its last attempt (5 by default) it is dead-lettered with its delivery history.",
      "Works on claims made by any process (such as an earlier 'phisync recv')."
    })
final class NackCommand extends CliCommand {
  @Mixin ClaimedMessage message = new ClaimedMessage();

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why it failed; kept in the message's delivery history.")
  @SuppressWarnings("NullAway.Init")
  String reason;

  @Override
  public Integer call() {
    return new Messages(session()).nack(message.agent, message.id, reason);
  }
}
