package io.phisync.cli;

import io.phisync.protocol.AgentName;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** The {@code workflow} commands that start, watch and steer runs; thin: WorkflowTasks works. */
final class WorkflowRunCommands {
  private WorkflowRunCommands() {}

  /** The orchestrator option every executing command shares. */
  abstract static class Executing extends CliCommand {
    @Option(
        names = "--as",
        paramLabel = "AGENT",
        converter = AgentNameConverter.class,
        defaultValue = "dc",
        description =
            "The orchestrator: the agent the requests come from (default: ${DEFAULT-VALUE}).")
    AgentName orchestrator = AgentName.of("dc");

    @Option(names = "--json", description = "No progress: print the run's final view as JSON.")
    boolean json;
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Validate a definition, journal a new run and execute it here with live progress.",
        "Each step's state and elapsed time are shown as they change; Ctrl-C "
            + "leaves the run in its journal ('workflow resume RUN' continues it). "
            + "--detach executes it in a background process instead and prints the run "
            + "id."
      })
  static final class Run extends Executing {
    @Parameters(index = "0", paramLabel = "FILE", description = "The definition (.yaml or .json).")
    @SuppressWarnings("NullAway.Init")
    Path file;

    @Option(
        names = "--input",
        paramLabel = "JSON|@FILE",
        converter = PayloadConverter.class,
        description = "The run's input, a JSON object (default: {}).")
    @Nullable ObjectNode input;

    @Option(
        names = "--detach",
        description =
            "Execute in a background 'phisync workflow resume' process (its output goes to a"
                + " log file beside the run's journal) and print the run id.")
    boolean detach;

    @Override
    public Integer call() throws InterruptedException {
      WorkflowTasks tasks = new WorkflowTasks(session());
      ObjectNode given = input == null ? io.phisync.protocol.Json.object() : input;
      return detach
          ? tasks.detach(file, given, orchestrator, json)
          : tasks.run(file, given, orchestrator, json);
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = {
        "Continue a run from its journal in this process, e.g. after its orchestrator died.",
        "Completed steps are not run again; a request sent but not answered is "
            + "looked up (and sent again with the same id, which the agent "
            + "deduplicates)."
      })
  static final class Resume extends Executing {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    @SuppressWarnings("NullAway.Init")
    String run;

    @Override
    public Integer call() throws InterruptedException {
      return new WorkflowTasks(session()).resume(run, orchestrator, json);
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = {
        "Run a failed or canceled run again, here: its failed, timed-out, "
            + "upstream-failed and canceled steps (or --from STEP and everything "
            + "downstream of it) start over; completed steps keep their outputs."
      })
  static final class Retry extends Executing {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    @SuppressWarnings("NullAway.Init")
    String run;

    @Option(
        names = "--from",
        paramLabel = "STEP",
        description = "Start over from this step and every step downstream of it.")
    @Nullable String from;

    @Override
    public Integer call() throws InterruptedException {
      return new WorkflowTasks(session()).retry(run, from, orchestrator, json);
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = {
        "Ask a run to stop: no new steps start, running ones are canceled, "
            + "completed steps' compensations run. The process executing the run acts "
            + "on it; when none does, this command carries the cancellation out itself."
      })
  static final class Cancel extends Executing {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    @SuppressWarnings("NullAway.Init")
    String run;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        defaultValue = "canceled by an operator",
        description = "Why (default: ${DEFAULT-VALUE}).")
    String reason = "canceled by an operator";

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "60s",
        description = "How long to wait for the run to end canceled (default: ${DEFAULT-VALUE}).")
    java.time.Duration wait = java.time.Duration.ofSeconds(60);

    @Override
    public Integer call() throws InterruptedException {
      return new WorkflowTasks(session()).cancel(run, reason, orchestrator, wait, json);
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show a run as its journal tells it: every step's state, attempts and time.")
  static final class Status extends CliCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    @SuppressWarnings("NullAway.Init")
    String run;

    @Option(names = "--json", description = "Print the run's view as JSON.")
    boolean json;

    @Override
    public Integer call() {
      return new WorkflowTasks(session()).status(run, json);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every run on the root, newest first.")
  static final class ListRuns extends CliCommand {
    @Option(names = "--json", description = "Print a JSON array of run summaries.")
    boolean json;

    @Override
    public Integer call() {
      return new WorkflowTasks(session()).list(json);
    }
  }
}
