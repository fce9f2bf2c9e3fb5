package io.phisync.cli;

import java.time.Duration;
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
    name = "lock",
    mixinStandardHelpOptions = true,
    description = "Locks: leases with fencing tokens, respected by codex lock files too.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      LockCommand.Acquire.class,
      LockCommand.Release.class,
      LockCommand.Status.class,
      LockCommand.Run.class
    })
final class LockCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(),
        "Missing a command: acquire, release, status, run");
  }

  /** --lease and --wait. */
  static final class Timing {
    @Option(
        names = "--lease",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "30s",
        description = "How long the grant holds without renewal (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    Duration lease;

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "0s",
        description = "How long to wait for the lock (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    Duration wait;
  }

  @Command(
      name = "acquire",
      mixinStandardHelpOptions = true,
      description = {
        "Take a lock and print its fencing token (exit 4 when it stays held).",
        "The grant expires unless renewed: prefer 'lock run' for a command."
      })
  static final class Acquire extends CliCommand {
    @Parameters(paramLabel = "NAME", description = "The lock.")
    @SuppressWarnings("NullAway.Init")
    String name;

    @picocli.CommandLine.Mixin Timing timing = new Timing();

    @Option(names = "--json", description = "Print the owner record as JSON.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      return new LockTasks(session()).acquire(name, timing.lease, timing.wait, json);
    }
  }

  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = "Release a lock held with this token (exit 4 when it is not).")
  static final class Release extends CliCommand {
    @Parameters(paramLabel = "NAME", description = "The lock.")
    @SuppressWarnings("NullAway.Init")
    String name;

    @Option(
        names = "--token",
        paramLabel = "T",
        required = true,
        description = "The fencing token that acquire printed.")
    long token;

    @Override
    public Integer call() {
      return new LockTasks(session()).release(name, token);
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show who holds a lock, or every lock with grants.")
  static final class Status extends CliCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1", description = "The lock (default: all).")
    @Nullable String name;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      return new LockTasks(session()).status(name, json);
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Hold a lock while a command runs: acquire, run it with PHISYNC_FENCING_TOKEN and",
        "PHISYNC_LOCK in its environment, renew every third of the lease, release after.",
        "Exits with the command's exit code; 4 when the lock stays held or is lost (the",
        "command is then stopped)."
      })
  static final class Run extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The lock.")
    @SuppressWarnings("NullAway.Init")
    String name;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "COMMAND",
        description = "The command and its arguments, after --.")
    @SuppressWarnings("NullAway.Init")
    List<String> command;

    @picocli.CommandLine.Mixin Timing timing = new Timing();

    @Override
    public Integer call() throws Exception {
      return new LockTasks(session()).run(name, timing.lease, timing.wait, command);
    }
  }
}
