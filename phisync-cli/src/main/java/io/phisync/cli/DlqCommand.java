package io.phisync.cli;

import io.phisync.protocol.MessageId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "The dead letters: messages that could not be delivered, with the reason.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      DlqCommand.ListCommand.class,
      DlqCommand.ShowCommand.class,
      DlqCommand.RetryCommand.class,
      DlqCommand.PurgeCommand.class
    })
final class DlqCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(), "Missing a command: list, show, retry, purge");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the dead letters.")
  static final class ListCommand extends CliCommand {
    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      return new DeadLetters(session()).list(json);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show one dead letter: reason, delivery history, original message.")
  static final class ShowCommand extends CliCommand {
    @Parameters(paramLabel = "ID", converter = MessageIdConverter.class, description = "Entry id.")
    @SuppressWarnings("NullAway.Init")
    MessageId entry;

    @Option(names = "--json", description = "Print it as JSON.")
    boolean json;

    @Override
    public Integer call() {
      return new DeadLetters(session()).show(entry, json);
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Put the original message back into its inbox; prints its id.")
  static final class RetryCommand extends CliCommand {
    @Parameters(paramLabel = "ID", converter = MessageIdConverter.class, description = "Entry id.")
    @SuppressWarnings("NullAway.Init")
    MessageId entry;

    @Override
    public Integer call() {
      return new DeadLetters(session()).retry(entry);
    }
  }

  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Delete one dead letter, or all of them with --all.")
  static final class PurgeCommand extends CliCommand {
    @Parameters(
        paramLabel = "ID",
        arity = "0..1",
        converter = MessageIdConverter.class,
        description = "Entry id.")
    @Nullable MessageId entry;

    @Option(names = "--all", description = "Delete every dead letter.")
    boolean all;

    @Override
    public Integer call() {
      if (all == (entry != null)) {
        throw CliException.usage("give a dead letter's ID or --all (one of them)");
      }
      DeadLetters dlq = new DeadLetters(session());
      return entry == null ? dlq.purgeAll() : dlq.purge(entry);
    }
  }
}
