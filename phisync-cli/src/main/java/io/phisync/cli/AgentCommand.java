package io.phisync.cli;

import io.phisync.protocol.AgentName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Run a program as a long-running agent.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {AgentCommand.RunCommand.class})
final class AgentCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(), "Missing a command: run");
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Serve an agent's inbox with a program until SIGTERM or Ctrl-C, then drain.",
        "Each message runs the program once: the envelope as JSON on its stdin, a JSON object on"
            + " its stdout is the response payload, a non-zero exit is a failure with its stderr"
            + " as the reason. Nothing from a message is ever put on a command line.",
        "The agent writes its heartbeat and status to <agent>/state.json."
      })
  static final class RunCommand extends CliCommand {
    @Option(
        names = "--agent",
        required = true,
        paramLabel = "AGENT",
        converter = AgentNameConverter.class,
        description = "Whose inbox to serve.")
    @SuppressWarnings("NullAway.Init")
    AgentName agent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    @SuppressWarnings("NullAway.Init")
    Source source;

    static final class Source {
      @Option(
          names = "--exec",
          paramLabel = "'PROGRAM ARGS'",
          description =
              "The program for every command, split at whitespace into the program and its"
                  + " arguments: no shell, no quotes, no variables or globs. Use --arg for an"
                  + " argument with spaces.")
      @Nullable String exec;

      @Option(
          names = "--handlers",
          paramLabel = "FILE.yaml",
          description = "A handlers file mapping each command to a program (see the README).")
      @Nullable Path handlers;
    }

    @Option(
        names = "--arg",
        paramLabel = "ARG",
        description = "One more argument for the --exec program, verbatim (repeatable).")
    List<String> args = new ArrayList<>();

    @Option(
        names = "--concurrency",
        paramLabel = "N",
        defaultValue = "1",
        description = "Messages handled at once (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "60s",
        description =
            "How long one run of a program may take before it is killed with its children"
                + " (default: ${DEFAULT-VALUE}; a handlers file may set its own per command).")
    Duration timeout = Duration.ofSeconds(60);

    @Option(
        names = "--max-attempts",
        paramLabel = "N",
        defaultValue = "5",
        description =
            "Runs per message before it is dead-lettered and the requester gets an error"
                + " response (default: ${DEFAULT-VALUE}).")
    int maxAttempts = 5;

    @Option(
        names = "--retry-delay",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "1s",
        description = "Wait before the second run, doubling up to 1m (default: ${DEFAULT-VALUE}).")
    Duration retryDelay = Duration.ofSeconds(1);

    @Option(
        names = "--heartbeat",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "5s",
        description =
            "How often it writes state.json (default: ${DEFAULT-VALUE}); 'phisync status' shows"
                + " it down after three missed beats.")
    Duration heartbeat = Duration.ofSeconds(5);

    @Option(
        names = "--drain",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "30s",
        description =
            "On SIGTERM or Ctrl-C, how long to let work in flight finish (default:"
                + " ${DEFAULT-VALUE}).")
    Duration drain = Duration.ofSeconds(30);

    @Override
    public Integer call() throws InterruptedException {
      AgentRun.Settings settings =
          new AgentRun.Settings(
              agent,
              source.exec,
              args,
              source.handlers,
              concurrency,
              timeout,
              maxAttempts,
              retryDelay,
              heartbeat,
              drain);
      return new AgentRun(session()).run(settings);
    }
  }
}
