package io.phisync.cli;

import io.phisync.PhiSync;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code phisync}: the global options and the list of commands. */
@Command(
    name = "phisync",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Coordinate agents, scripts and people through a shared directory.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      InitCommand.class,
      SendCommand.class,
      RequestCommand.class,
      RecvCommand.class,
      ReplyCommand.class,
      NackCommand.class,
      InboxCommand.class,
      DlqCommand.class,
      StatusCommand.class,
      TraceCommand.class,
      PublishCommand.class,
      SubscribeCommand.class,
      EventsCommand.class,
      StateCommand.class,
      LockCommand.class,
      StreamCommand.class,
      AgentCommand.class,
      CrdtCommand.class,
      DemoCommand.class,
      ServeDemoCommand.class,
      McpCommand.class,
      BenchCommand.class,
      WorkflowCommand.class,
      CommandLine.HelpCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0    ok",
      "  1    unexpected failure",
      "  2    usage error or invalid input (nothing was written)",
      "  3    recv: nothing arrived in time; crdt get: no such key; state get/delete,",
      "       stream snapshot: nothing there",
      "  4    conflict: the message or response exists already, or a lease was lost;",
      "       crdt: the key has another type, or a replica's clock is too far ahead;",
      "       state: a failed compare-and-set or a fenced write; lock: held or lost;",
      "       stream: another version than expected",
      "  5    request: the response is an error response",
      "  124  request: no response in time",
      "",
      "Root: --root, else $"
          + PhiSync.ROOT_VARIABLE
          + ", else C:\\PhiVector\\ipc on Windows"
          + " and ~/.phisync/ipc elsewhere."
    })
final class PhisyncCommand implements Runnable {
  private final Map<String, String> env;
  private final StandardStreams stdio;

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "The coordination root (default: $PHISYNC_ROOT, else the platform default).")
  @Nullable Path root;

  @Option(
      names = "--fast",
      scope = ScopeType.INHERIT,
      description = "Skip fsync: atomic but not crash-durable writes.")
  boolean fast;

  @Option(
      names = "--poll",
      scope = ScopeType.INHERIT,
      description = "Poll directories instead of OS file watching (for network shares).")
  boolean poll;

  PhisyncCommand(Map<String, String> env, StandardStreams stdio) {
    this.env = Map.copyOf(env);
    this.stdio = stdio;
  }

  /** The raw standard streams, for a command that speaks a protocol on them. */
  StandardStreams stdio() {
    return stdio;
  }

  @Override
  public void run() {
    // A command is required: show what there is.
    throw new CommandLine.ParameterException(
        java.util.Objects.requireNonNull(spec).commandLine(), "Missing a command");
  }

  /** The root: --root, else $PHISYNC_ROOT, else the platform default. */
  Path resolveRoot() {
    if (root != null) {
      return root;
    }
    String fromEnv = env.get(PhiSync.ROOT_VARIABLE);
    return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : PhiSync.defaultRoot();
  }

  /** The explicitly given root, if any. */
  @Nullable Path explicitRoot() {
    return root;
  }
}
