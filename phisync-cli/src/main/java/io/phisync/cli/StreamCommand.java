package io.phisync.cli;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = "Event-sourced streams: append with an expected version, read, snapshots.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      StreamCommand.Append.class,
      StreamCommand.Read.class,
      StreamCommand.SnapshotCmd.class
    })
final class StreamCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(), "Missing a command: append, read, snapshot");
  }

  @Command(
      name = "append",
      mixinStandardHelpOptions = true,
      description = {
        "Append events (one batch, all or nothing); prints the stream's new version.",
        "With --expect-version, exits 4 and prints the actual version when it differs."
      })
  static final class Append extends CliCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream.")
    @SuppressWarnings("NullAway.Init")
    String stream;

    @Option(
        names = "--type",
        paramLabel = "TYPE",
        required = true,
        description = "The events' type, e.g. item-added.")
    @SuppressWarnings("NullAway.Init")
    String type;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "DATA",
        converter = JsonValueConverter.class,
        description = "Each event's data: a JSON value, or @FILE.")
    @SuppressWarnings("NullAway.Init")
    List<JsonNode> data;

    @Option(
        names = "--expect-version",
        paramLabel = "N",
        description = "Append only if the stream is at version N (0: empty). Default: any.")
    @Nullable Long expected;

    @Override
    public Integer call() {
      return new StreamTasks(session()).append(stream, type, data, expected);
    }
  }

  @Command(
      name = "read",
      mixinStandardHelpOptions = true,
      description = "Print events from a version on, one JSON line each.")
  static final class Read extends CliCommand {
    @Parameters(paramLabel = "STREAM", description = "The stream.")
    @SuppressWarnings("NullAway.Init")
    String stream;

    @Option(
        names = "--from",
        paramLabel = "VERSION",
        defaultValue = "1",
        description = "The first version (default: ${DEFAULT-VALUE}).")
    long from;

    @Option(
        names = "--max",
        paramLabel = "N",
        defaultValue = "1000",
        description = "At most this many (default: ${DEFAULT-VALUE}).")
    int max;

    @Override
    public Integer call() {
      return new StreamTasks(session()).read(stream, from, max);
    }
  }

  @Command(
      name = "snapshot",
      mixinStandardHelpOptions = true,
      description = {
        "Print the latest snapshot of a stream (exit 3 when there is none),",
        "or store one with --at VERSION and --state JSON."
      })
  static final class SnapshotCmd extends CliCommand {
    @Parameters(paramLabel = "STREAM", description = "The stream.")
    @SuppressWarnings("NullAway.Init")
    String stream;

    @Option(
        names = "--at",
        paramLabel = "VERSION",
        description = "Store a snapshot at this version.")
    @Nullable Long version;

    @Option(
        names = "--state",
        paramLabel = "JSON",
        converter = JsonValueConverter.class,
        description = "The folded state to store, or @FILE.")
    @Nullable JsonNode state;

    @Override
    public Integer call() {
      if ((version == null) != (state == null)) {
        throw CliException.usage("give --at and --state together, or neither");
      }
      StreamTasks tasks = new StreamTasks(session());
      return version == null || state == null
          ? tasks.showSnapshot(stream)
          : tasks.writeSnapshot(stream, version, state);
    }
  }
}
