package io.phisync.cli;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description = "Shared state: versioned JSON values by key, with compare-and-set.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      StateCommand.Get.class,
      StateCommand.Put.class,
      StateCommand.Cas.class,
      StateCommand.Delete.class,
      StateCommand.ListKeys.class,
      StateCommand.History.class,
      StateCommand.Watch.class
    })
final class StateCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(),
        "Missing a command: get, put, cas, delete, list, history, watch");
  }

  /** --expect-revision N | --expect-absent. */
  static final class Expectation {
    @Option(
        names = "--expect-revision",
        paramLabel = "N",
        description = "Write only if the key's latest revision is N (0: never written).")
    @Nullable Long revision;

    @Option(names = "--expect-absent", description = "Write only if the key has no value.")
    boolean absent;
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print a key's value (exit 3 when it has none).")
  static final class Get extends CliCommand {
    @Parameters(paramLabel = "KEY", description = "The key, e.g. config/db.")
    @SuppressWarnings("NullAway.Init")
    String key;

    @Option(names = "--json", description = "Print the whole revision record as JSON.")
    boolean json;

    @Override
    public Integer call() {
      return new StateTasks(session()).get(key, json);
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = {
        "Write a key's value; prints the new revision.",
        "Unconditional, unless --expect-revision or --expect-absent makes it a compare-and-set."
      })
  static final class Put extends CliCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    @SuppressWarnings("NullAway.Init")
    String key;

    @Parameters(
        index = "1",
        paramLabel = "VALUE",
        converter = JsonValueConverter.class,
        description = "A JSON value, or @FILE.")
    @SuppressWarnings("NullAway.Init")
    JsonNode value;

    // Plain options, not the Expectation group: picocli's processor rejects one group in two
    // commands.
    @Option(
        names = "--expect-revision",
        paramLabel = "N",
        description = "Write only if the key's latest revision is N (0: never written).")
    @Nullable Long expectRevision;

    @Option(names = "--expect-absent", description = "Write only if the key has no value.")
    boolean expectAbsent;

    @Option(
        names = "--fencing-token",
        paramLabel = "T",
        description = "Refuse the write if a higher token was committed for the key.")
    @Nullable Long token;

    @Option(names = "--json", description = "Print the committed revision as JSON.")
    boolean json;

    @Override
    public Integer call() {
      // With an expectation, put is a compare-and-set: people reach for put --expect-absent.
      if (expectAbsent && expectRevision != null) {
        throw new ParameterException(
            spec.commandLine(),
            "Error: --expect-revision and --expect-absent are mutually exclusive");
      }
      return new StateTasks(session()).cas(key, expectRevision, expectAbsent, value, token, json);
    }
  }

  @Command(
      name = "cas",
      mixinStandardHelpOptions = true,
      description = {
        "Compare-and-set: write only if the expectation holds; prints the new revision.",
        "On a conflict, exits 4 and prints the current revision on stderr."
      })
  static final class Cas extends CliCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    @SuppressWarnings("NullAway.Init")
    String key;

    @Parameters(
        index = "1",
        paramLabel = "VALUE",
        converter = JsonValueConverter.class,
        description = "A JSON value, or @FILE.")
    @SuppressWarnings("NullAway.Init")
    JsonNode value;

    @ArgGroup(exclusive = true, multiplicity = "1")
    @SuppressWarnings("NullAway.Init")
    Expectation expect;

    @Option(names = "--fencing-token", paramLabel = "T", description = "A lock's fencing token.")
    @Nullable Long token;

    @Option(names = "--json", description = "Print the committed revision as JSON.")
    boolean json;

    @Override
    public Integer call() {
      return new StateTasks(session()).cas(key, expect.revision, expect.absent, value, token, json);
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a key (a tombstone revision); exit 3 when it has no value.")
  static final class Delete extends CliCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    @SuppressWarnings("NullAway.Init")
    String key;

    @Option(
        names = "--expect-revision",
        paramLabel = "N",
        description = "Delete only if the latest revision is N.")
    @Nullable Long revision;

    @Option(names = "--fencing-token", paramLabel = "T", description = "A lock's fencing token.")
    @Nullable Long token;

    @Override
    public Integer call() {
      return new StateTasks(session()).delete(key, revision, token);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the keys that have a value, with their revisions.")
  static final class ListKeys extends CliCommand {
    @Parameters(paramLabel = "PREFIX", arity = "0..1", description = "Only keys starting so.")
    @Nullable String prefix;

    @Option(names = "--json", description = "Print a JSON array of revision records.")
    boolean json;

    @Override
    public Integer call() {
      return new StateTasks(session()).list(prefix == null ? "" : prefix, json);
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = "Print a key's kept revisions, oldest first, one JSON record a line.")
  static final class History extends CliCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    @SuppressWarnings("NullAway.Init")
    String key;

    @Option(
        names = "--limit",
        paramLabel = "K",
        defaultValue = "10",
        description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      return new StateTasks(session()).history(key, limit);
    }
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = "Print each new revision of a key as one JSON line as it is committed.")
  static final class Watch extends CliCommand {
    @Parameters(paramLabel = "KEY", description = "The key.")
    @SuppressWarnings("NullAway.Init")
    String key;

    @Option(
        names = "--count",
        paramLabel = "N",
        description = "Stop after N revisions (default: never).")
    @Nullable Integer count;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Stop after this long (default: never).")
    @Nullable Duration timeout;

    @Option(
        names = "--after",
        paramLabel = "REVISION",
        description = "Start after this revision (default: the current one).")
    @Nullable Long after;

    @Override
    public Integer call() throws InterruptedException {
      return new StateTasks(session()).watch(key, after, count, timeout);
    }
  }
}
