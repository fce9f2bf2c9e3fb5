package io.phisync.cli;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "workflow",
    mixinStandardHelpOptions = true,
    description = "Run durable multi-agent workflows defined in YAML or JSON files.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      WorkflowRunCommands.Run.class,
      WorkflowRunCommands.Status.class,
      WorkflowRunCommands.ListRuns.class,
      WorkflowRunCommands.Resume.class,
      WorkflowRunCommands.Retry.class,
      WorkflowRunCommands.Cancel.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0    run, resume, retry: the run completed; other commands: done",
      "  1    run, resume, retry: the run failed or was canceled",
      "  2    usage error or an invalid definition (each problem is listed)",
      "  3    no such run (the recent ones are listed)",
      "  4    the run is executed by another live process, or has ended"
    })
final class WorkflowCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        Objects.requireNonNull(spec).commandLine(),
        "Missing a command: run, status, list, resume, retry, cancel");
  }
}
