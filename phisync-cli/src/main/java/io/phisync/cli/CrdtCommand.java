package io.phisync.cli;

import io.phisync.protocol.AgentName;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "crdt",
    mixinStandardHelpOptions = true,
    description = {
      "Replicated data without locks: each agent writes its own replica, readers merge.",
      "A key's type (g-counter, pn-counter, lww-register, mv-register, or-set, flag, lww-map)"
          + " is fixed by its first write; using it as another type exits 4."
    },
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      CrdtCommand.IncCommand.class,
      CrdtCommand.DecCommand.class,
      CrdtCommand.AddCommand.class,
      CrdtCommand.RemoveCommand.class,
      CrdtCommand.SetCommand.class,
      CrdtCommand.GetCommand.class,
      CrdtCommand.ListCommand.class
    })
final class CrdtCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(),
        "Missing a command: inc, dec, add, remove, set, get, list");
  }

  /** The options of every update: whose replica, which key. */
  static final class Target {
    @Option(
        names = "--agent",
        required = true,
        paramLabel = "AGENT",
        converter = AgentNameConverter.class,
        description = "The agent whose replica this process writes.")
    @SuppressWarnings("NullAway.Init")
    AgentName agent;

    @Option(
        names = "--key",
        required = true,
        paramLabel = "KEY",
        description = "The key: [a-z0-9][a-z0-9._-]{0,63}.")
    @SuppressWarnings("NullAway.Init")
    String key;
  }

  @Command(
      name = "inc",
      mixinStandardHelpOptions = true,
      description = "Increment a counter (a new key becomes a pn-counter) and print its value.")
  static final class IncCommand extends CliCommand {
    @picocli.CommandLine.Mixin Target target = new Target();

    @Option(names = "--by", paramLabel = "N", defaultValue = "1", description = "Amount (>0).")
    long by;

    @Option(
        names = "--type",
        paramLabel = "TYPE",
        description = "g-counter or pn-counter, for a new key (default: pn-counter).")
    @Nullable String type;

    @Override
    public Integer call() {
      return new Crdts(session()).increment(target.agent, target.key, by, type);
    }
  }

  @Command(
      name = "dec",
      mixinStandardHelpOptions = true,
      description = "Decrement a pn-counter and print its value.")
  static final class DecCommand extends CliCommand {
    @picocli.CommandLine.Mixin Target target = new Target();

    @Option(names = "--by", paramLabel = "N", defaultValue = "1", description = "Amount (>0).")
    long by;

    @Override
    public Integer call() {
      return new Crdts(session()).decrement(target.agent, target.key, by);
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add elements to an or-set (add wins over a concurrent remove).")
  static final class AddCommand extends CliCommand {
    @picocli.CommandLine.Mixin Target target = new Target();

    @Parameters(paramLabel = "VALUE", arity = "1..*", description = "Elements to add.")
    List<String> values = List.of();

    @Override
    public Integer call() {
      return new Crdts(session()).add(target.agent, target.key, values);
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove elements from an or-set, or entries from an lww-map.")
  static final class RemoveCommand extends CliCommand {
    @picocli.CommandLine.Mixin Target target = new Target();

    @Parameters(paramLabel = "VALUE", arity = "1..*", description = "Elements or map keys.")
    List<String> values = List.of();

    @Override
    public Integer call() {
      return new Crdts(session()).remove(target.agent, target.key, values);
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Set a register (default: lww-register), an lww-map entry (--field) or a flag (on/off)."
      })
  static final class SetCommand extends CliCommand {
    @picocli.CommandLine.Mixin Target target = new Target();

    @Parameters(paramLabel = "VALUE", description = "The value; for a flag: on or off.")
    @SuppressWarnings("NullAway.Init")
    String value;

    @Option(
        names = "--type",
        paramLabel = "TYPE",
        description =
            "lww-register, mv-register, flag or lww-map, for a new key (default: lww-register;"
                + " lww-map with --field).")
    @Nullable String type;

    @Option(names = "--field", paramLabel = "NAME", description = "The entry of an lww-map.")
    @Nullable String field;

    @Override
    public Integer call() {
      return new Crdts(session()).set(target.agent, target.key, value, type, field);
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = {
        "Print the merged value of a key (exit 3 when nobody wrote it).",
        "Counters print a number, registers their value (an mv-register one per line), sets one"
            + " element per line, maps NAME=VALUE lines, flags true or false."
      })
  static final class GetCommand extends CliCommand {
    @Option(names = "--key", required = true, paramLabel = "KEY", description = "The key.")
    @SuppressWarnings("NullAway.Init")
    String key;

    @Option(
        names = "--json",
        description = "Print {key, type, value, state} with the merged state's JSON.")
    boolean json;

    @Override
    public Integer call() {
      return new Crdts(session()).get(key, json);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys and types.")
  static final class ListCommand extends CliCommand {
    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      return new Crdts(session()).list(json);
    }
  }
}
