package io.phisync.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The start-up fast path: a command line whose root holds the real model of only the one command
 * the arguments name, for the commands that agents and scripts run once per message. Building
 * picocli's model of every command (reflection over some hundred annotated fields) costs more than
 * running a {@code send}.
 *
 * <p>The other commands are there by name only, so that picocli classifies every argument exactly
 * as the whole tree does. Whatever this line would not handle exactly as the whole tree does (no
 * command or another one, {@code --help}, {@code --version}, any usage error found while parsing)
 * it hands back as {@link #WHOLE_TREE} before running anything; the caller then runs the whole
 * tree, which prints the same help and errors as always.
 */
final class LeanCommandLine {
  /** Returned when this line did not run the command: run the whole tree. */
  static final int WHOLE_TREE = Integer.MIN_VALUE;

  /**
   * The commands that may run alone: they use nothing of the tree but the global options (through
   * {@link Session}). Each must be one of {@link PhisyncCommand}'s commands.
   */
  static final List<Class<?>> ALONE =
      List.of(
          SendCommand.class,
          RequestCommand.class,
          RecvCommand.class,
          ReplyCommand.class,
          NackCommand.class,
          PublishCommand.class,
          StateCommand.class,
          LockCommand.class);

  /**
   * The names of {@link PhisyncCommand}'s commands, in its order (none has an alias), and of those
   * in {@link #ALONE} first. Written out rather than read from the annotations, which would load
   * and parse every command class and its subcommands' (LeanCommandLineTest checks them against the
   * annotations).
   */
  static final List<String> NAMES =
      List.of(
          "init",
          "send",
          "request",
          "recv",
          "reply",
          "nack",
          "inbox",
          "dlq",
          "status",
          "trace",
          "publish",
          "subscribe",
          "events",
          "state",
          "lock",
          "stream",
          "agent",
          "crdt",
          "workflow",
          "demo",
          "mcp",
          "bench",
          "approve",
          "reject",
          "approvals",
          "approver",
          "help",
          "generate-completion");

  /** The name of each command in {@link #ALONE}, in its order. */
  static final List<String> ALONE_NAMES =
      List.of("send", "request", "recv", "reply", "nack", "publish", "state", "lock");

  private final Map<String, String> env;
  private final StandardStreams stdio;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Failures failures;
  private boolean running;

  LeanCommandLine(
      Map<String, String> env,
      StandardStreams stdio,
      PrintWriter out,
      PrintWriter err,
      Failures failures) {
    this.env = env;
    this.stdio = stdio;
    this.out = out;
    this.err = err;
    this.failures = failures;
  }

  /** Runs the command and returns its exit code, or {@link #WHOLE_TREE} having run nothing. */
  int execute(String... args) {
    Class<?> chosen = chosen(args);
    if (chosen == null) {
      return WHOLE_TREE;
    }
    String chosenName = ALONE_NAMES.get(ALONE.indexOf(chosen));
    Prewarm.start(chosenName, chosen);
    PhisyncCommand global = new PhisyncCommand(env, stdio);
    CommandSpec root = CommandSpec.wrapWithoutInspection(global).name("phisync");
    CommandLine line = new CommandLine(root);
    // The other commands share one empty placeholder: only their names matter, and each command
    // line costs picocli a parser and its converters. It is added before the global options, which
    // the root then hands down to it once (added after them, it would inherit them once per name).
    CommandLine placeholder = new CommandLine(CommandSpec.create());
    for (String name : NAMES) {
      if (!name.equals(chosenName)) {
        line.addSubcommand(name, placeholder);
      }
    }
    root.addMixin("options", CommandSpec.forAnnotatedObject(global.options));
    line.addSubcommand(chosenName, new CommandLine(chosen));
    return line
        // As Main configures the whole tree.
        .setExpandAtFiles(false)
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(failures)
        .setParameterExceptionHandler(this::parameterException)
        .setExecutionStrategy(parsed -> run(parsed, chosen))
        .execute(args);
  }

  /** The first argument that names a command, if that command may run alone. */
  private static @org.jspecify.annotations.Nullable Class<?> chosen(String[] args) {
    for (String arg : args) {
      if (NAMES.contains(arg)) {
        int alone = ALONE_NAMES.indexOf(arg);
        return alone < 0 ? null : ALONE.get(alone);
      }
    }
    return null;
  }

  private int run(ParseResult parsed, Class<?> chosen) {
    ParseResult command = parsed.subcommand();
    if (command == null || !chosen.isInstance(command.commandSpec().userObject())) {
      return WHOLE_TREE;
    }
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      if (level.isUsageHelpRequested() || level.isVersionHelpRequested()) {
        return WHOLE_TREE;
      }
    }
    running = true;
    return new CommandLine.RunLast().execute(parsed);
  }

  /** A usage error found while parsing goes to the whole tree; one a running command throws not. */
  private int parameterException(ParameterException e, String[] args) throws Exception {
    return running ? failures.handleParseException(e, args) : WHOLE_TREE;
  }
}
