package io.phisync.cli;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "approver",
    mixinStandardHelpOptions = true,
    description = {
      "Approver keys: Ed25519 keys kept outside the root (in $PHISYNC_HOME, else "
          + "~/.phisync), and the approvers this machine trusts."
    },
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      ApproverCommand.Init.class,
      ApproverCommand.Trust.class,
      ApproverCommand.ListApprovers.class,
      ApproverCommand.Show.class
    })
final class ApproverCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(), "Missing a command: init, trust, list, show");
  }

  /** --home. */
  static final class Home {
    @Option(
        names = "--home",
        paramLabel = "DIR",
        description = "Where the keys are (default: $PHISYNC_HOME, else ~/.phisync).")
    @Nullable Path home;
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Create an approver key pair (private key readable only by you) and trust it here.",
        "Exit 4 when the approver has a key already (replace it with --force)."
      })
  static final class Init extends CliCommand {
    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The approver's name (default: your user name).")
    @Nullable String name;

    @Option(names = "--force", description = "Replace an existing key.")
    boolean force;

    @picocli.CommandLine.Mixin Home home = new Home();

    @Override
    public Integer call() {
      return new ApprovalTasks(session()).init(home.home, name, force);
    }
  }

  @Command(
      name = "trust",
      mixinStandardHelpOptions = true,
      description = {
        "Trust another approver's public key (as 'approver show' prints it on their machine).",
        "Exit 4 when another key is trusted under that name (replace it with --force)."
      })
  static final class Trust extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The approver's name.")
    @SuppressWarnings("NullAway.Init")
    String name;

    @Parameters(index = "1", paramLabel = "PUBLIC-KEY-FILE", description = "The PEM file.")
    @SuppressWarnings("NullAway.Init")
    Path file;

    @Option(names = "--force", description = "Replace another key trusted under this name.")
    boolean force;

    @picocli.CommandLine.Mixin Home home = new Home();

    @Override
    public Integer call() {
      return new ApprovalTasks(session()).trust(home.home, name, file, force);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the trusted approvers, and which of them have their key here.")
  static final class ListApprovers extends CliCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @picocli.CommandLine.Mixin Home home = new Home();

    @Override
    public Integer call() {
      return new ApprovalTasks(session()).list(home.home, json);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Print an approver's public key, for another machine to trust with 'approver trust'.",
        "Exit 3 when there is no key here."
      })
  static final class Show extends CliCommand {
    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The approver (default: the only one here).")
    @Nullable String name;

    @picocli.CommandLine.Mixin Home home = new Home();

    @Override
    public Integer call() {
      return new ApprovalTasks(session()).show(home.home, name);
    }
  }
}
