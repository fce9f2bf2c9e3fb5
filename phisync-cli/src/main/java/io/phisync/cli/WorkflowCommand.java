package io.phisync.cli;

import java.nio.file.Files;
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
    name = "workflow",
    mixinStandardHelpOptions = true,
    description =
        "Run durable multi-agent workflows defined in YAML or JSON files (docs/PROTOCOL.md).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      WorkflowCommand.ValidateCommand.class,
      WorkflowCommand.GraphCommand.class,
      WorkflowRunCommands.Run.class,
      WorkflowRunCommands.Status.class,
      WorkflowRunCommands.ListRuns.class,
      WorkflowRunCommands.Resume.class,
      WorkflowRunCommands.Retry.class,
      WorkflowRunCommands.Cancel.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0    run, resume, retry: the run completed; validate: the definition is valid;"
          + " other commands: done",
      "  1    run, resume, retry: the run failed or was canceled; validate, graph: the"
          + " definition is not valid (each problem is listed)",
      "  2    usage error; run: an invalid definition (each problem is listed)",
      "  3    no such run (the recent ones are listed)",
      "  4    the run is executed by another live process, or has ended"
    })
final class WorkflowCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(),
        "Missing a command: "
            + String.join(", ", Objects.requireNonNull(spec).subcommands().keySet()));
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Check a definition file (and the sub-workflow files it names) without running it.",
        "Exit 0 when it is valid, with a summary of its steps by kind; 1 listing every problem,"
            + " each with the step and the place in the file it concerns; 2 on a usage error."
      })
  static final class ValidateCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "A .yaml, .yml or .json file.")
    @SuppressWarnings("NullAway.Init")
    Path file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
      return new WorkflowFiles(spec.commandLine().getOut(), spec.commandLine().getErr())
          .validate(file, json);
    }
  }

  @Command(
      name = "graph",
      mixinStandardHelpOptions = true,
      description = {
        "Print a definition, or a run's, as a Mermaid flowchart (paste it into any Mermaid"
            + " viewer).",
        "FILE: a definition file (no root needed). RUN: a run id (run-...): the definition its"
            + " journal holds, each step with its state in the run as a class (colours).",
        "Exit 0; 1 when the definition is not valid (each problem is listed); 2 when FILE does"
            + " not exist and is not a run id; 3 for an unknown run (the recent ones are listed)."
      })
  static final class GraphCommand extends CliCommand {
    @Parameters(
        index = "0",
        paramLabel = "FILE|RUN",
        description = "A .yaml, .yml or .json file, or a run id.")
    @SuppressWarnings("NullAway.Init")
    String target;

    @Override
    public Integer call() {
      Path file = Path.of(target);
      if (Files.exists(file) || !target.startsWith("run-")) {
        if (!Files.exists(file)) {
          throw CliException.usage(
              "no such file: "
                  + target
                  + " (graph takes a definition file or a run id such as run-01j...)");
        }
        return new WorkflowFiles(spec.commandLine().getOut(), spec.commandLine().getErr())
            .graph(file);
      }
      return new WorkflowTasks(session()).graph(target);
    }
  }
}
