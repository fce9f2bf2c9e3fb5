package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.workflow.RunOptions;
import io.phisync.workflow.RunStatus;
import io.phisync.workflow.RunView;
import io.phisync.workflow.WorkflowDefinition;
import io.phisync.workflow.WorkflowException;
import io.phisync.workflow.WorkflowGraph;
import io.phisync.workflow.WorkflowValidationException;
import io.phisync.workflow.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** The work behind {@code phisync workflow run|status|list|resume|retry|cancel|graph RUN}. */
final class WorkflowTasks {
  /** How many runs an "unknown run" error lists. */
  private static final int RECENT = 5;

  private final Session session;

  WorkflowTasks(Session session) {
    this.session = session;
  }

  /** The root, its approvals verified with the trusted approvers of $PHISYNC_HOME. */
  private PhiSync open() {
    return session.openWithApprovers(session.approverHome(null));
  }

  /** The engine of an open root. */
  static Workflows engine(PhiSync phi) {
    return phi.workflows();
  }

  int run(Path file, JsonNode input, AgentName orchestrator, boolean json)
      throws InterruptedException {
    try (PhiSync phi = open()) {
      Workflows workflows = engine(phi);
      WorkflowDefinition definition = load(workflows, file);
      requireAgent(phi, orchestrator);
      RunProgress progress = progress(phi, json);
      Workflows.RunHandle handle =
          call(() -> workflows.start(definition, input, options(orchestrator, progress)));
      return new AttachedRun(session, progress, json).follow(handle);
    }
  }

  int detach(Path file, JsonNode input, AgentName orchestrator, boolean json) {
    try (PhiSync phi = open()) {
      Workflows workflows = engine(phi);
      WorkflowDefinition definition = load(workflows, file);
      requireAgent(phi, orchestrator);
      String runId = call(() -> workflows.create(definition, input, RunOptions.as(orchestrator)));
      Path log = logFile(runId);
      List<String> args =
          new ArrayList<>(List.of("--root", session.root().toAbsolutePath().toString()));
      args.addAll(session.globalFlags());
      args.addAll(List.of("workflow", "resume", runId, "--as", orchestrator.value()));
      long pid = ChildProcess.startDetached(args, log);
      if (json) {
        session
            .out()
            .println(
                Json.compact(
                    Json.object()
                        .put("runId", runId)
                        .put("pid", pid)
                        .put("log", log.toAbsolutePath().toString())));
      } else {
        session.out().println(runId);
        session
            .err()
            .printf(
                "%s (%s) runs in the background (pid %d); its output: %s%n"
                    + "  phisync workflow status %s     phisync workflow cancel %s%n",
                runId, definition.name(), pid, log.toAbsolutePath(), runId, runId);
      }
      return ExitCodes.OK;
    }
  }

  int resume(String runId, AgentName orchestrator, boolean json) throws InterruptedException {
    try (PhiSync phi = open()) {
      Workflows workflows = engine(phi);
      existing(workflows, runId);
      requireAgent(phi, orchestrator);
      RunProgress progress = progress(phi, json);
      Workflows.RunHandle handle =
          call(() -> workflows.resume(runId, options(orchestrator, progress)));
      return new AttachedRun(session, progress, json).follow(handle);
    }
  }

  int retry(String runId, @Nullable String from, AgentName orchestrator, boolean json)
      throws InterruptedException {
    try (PhiSync phi = open()) {
      Workflows workflows = engine(phi);
      RunView view = existing(workflows, runId);
      if (from != null && view.step(from).isEmpty()) {
        throw CliException.usage(
            "run "
                + runId
                + " has no step '"
                + from
                + "' (its steps: "
                + view.steps().stream().map(RunView.StepView::id).collect(Collectors.joining(", "))
                + ")");
      }
      requireAgent(phi, orchestrator);
      RunProgress progress = progress(phi, json);
      Workflows.RunHandle handle =
          call(() -> workflows.retry(runId, from, options(orchestrator, progress)));
      return new AttachedRun(session, progress, json).follow(handle);
    }
  }

  int cancel(String runId, String reason, AgentName orchestrator, Duration wait, boolean json)
      throws InterruptedException {
    try (PhiSync phi = open()) {
      Workflows workflows = engine(phi);
      RunView view = existing(workflows, runId);
      if (view.status().isDone()) {
        throw new CliException(
            ExitCodes.CONFLICT, "run " + runId + " has ended (" + view.status().label() + ")");
      }
      call(
          () -> {
            workflows.cancel(runId, reason);
            return runId;
          });
      session.err().println("cancel requested for " + runId + ": " + reason);
      Optional<RunView> ended = workflows.awaitEnd(runId, Duration.ofSeconds(2));
      if (ended.isEmpty()) {
        ended = carryOut(phi, workflows, runId, orchestrator, wait);
      }
      RunView last = ended.orElseGet(() -> existing(workflows, runId));
      if (json) {
        session.out().println(Json.pretty(RunJson.view(last)));
      } else {
        new RunProgress(session.out(), false, session.root()).summary(last);
      }
      if (!last.status().isDone()) {
        throw new CliException(
            ExitCodes.TIMED_OUT,
            "run "
                + runId
                + " is still "
                + last.status().label()
                + " after "
                + io.phisync.bus.Durations.format(wait)
                + "; the process executing it acts on the cancel");
      }
      return ExitCodes.OK;
    }
  }

  /** Executes the cancellation here when no other process executes the run. */
  private Optional<RunView> carryOut(
      PhiSync phi, Workflows workflows, String runId, AgentName orchestrator, Duration wait)
      throws InterruptedException {
    if (!phi.transport().hasAgent(orchestrator)) {
      return workflows.awaitEnd(runId, wait);
    }
    Workflows.RunHandle handle;
    try {
      handle = workflows.resume(runId, RunOptions.as(orchestrator));
    } catch (WorkflowException executedElsewhere) {
      return workflows.awaitEnd(runId, wait);
    }
    return handle.await(wait);
  }

  int status(String runId, boolean json) {
    try (PhiSync phi = open()) {
      RunView view = existing(engine(phi), runId);
      if (json) {
        session.out().println(Json.pretty(RunJson.view(view)));
      } else {
        new RunProgress(session.out(), false, session.root()).summary(view);
      }
      return ExitCodes.OK;
    }
  }

  /** Prints the definition a run executes as Mermaid, its steps classed by their states. */
  int graph(String runId) {
    try (PhiSync phi = open()) {
      Workflows workflows = engine(phi);
      RunView view = existing(workflows, runId);
      WorkflowDefinition definition =
          workflows
              .definition(runId)
              .orElseThrow(
                  () -> new CliException(ExitCodes.NOT_FOUND, "run " + runId + " has no journal"));
      session.out().print(WorkflowGraph.mermaid(definition, view));
      session.out().flush();
      return ExitCodes.OK;
    }
  }

  int list(boolean json) {
    try (PhiSync phi = open()) {
      List<RunView> runs = engine(phi).list();
      if (json) {
        ArrayNode array = Json.mapper().createArrayNode();
        runs.forEach(run -> array.add(RunJson.summary(run)));
        session.out().println(Json.pretty(array));
        return ExitCodes.OK;
      }
      if (runs.isEmpty()) {
        session.err().println("no workflow runs on " + session.root());
        return ExitCodes.OK;
      }
      Table table = new Table("RUN", "WORKFLOW", "STATUS", "STEPS", "STARTED", "ELAPSED");
      for (RunView run : runs) {
        table.row(
            run.runId(),
            run.workflow(),
            run.status().label(),
            RunJson.doneSteps(run) + "/" + run.steps().size(),
            run.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
            RunProgress.took(run.startedAt(), run.endedAt()));
      }
      table.print(session.out());
      return ExitCodes.OK;
    }
  }

  private RunProgress progress(PhiSync phi, boolean json) {
    return new RunProgress(session.out(), !json && Terminal.isInteractive(), phi.root());
  }

  private static RunOptions options(AgentName orchestrator, RunProgress progress) {
    return RunOptions.as(orchestrator).withListener(progress);
  }

  private static WorkflowDefinition load(Workflows workflows, Path file) {
    if (!Files.isRegularFile(file)) {
      throw CliException.usage("no such definition file: " + file);
    }
    try {
      return workflows.load(file);
    } catch (WorkflowValidationException e) {
      throw CliException.usage(String.valueOf(e.getMessage()));
    } catch (WorkflowException e) {
      throw CliException.usage(file + ": " + e.getMessage());
    }
  }

  private static void requireAgent(PhiSync phi, AgentName orchestrator) {
    if (!phi.transport().hasAgent(orchestrator)) {
      throw CliException.usage(
          "unknown agent '"
              + orchestrator
              + "' (the orchestrator, --as); create it with 'phisync init --agents "
              + orchestrator
              + "'");
    }
  }

  /**
   * The run's view.
   *
   * @throws CliException (exit 3) naming the recent runs when there is no such run
   */
  static RunView existing(Workflows workflows, String runId) {
    Optional<RunView> view;
    try {
      view = workflows.status(runId);
    } catch (IllegalArgumentException | WorkflowException e) {
      throw new CliException(ExitCodes.NOT_FOUND, unknownRun(workflows, runId, e.getMessage()));
    }
    return view.orElseThrow(
        () -> new CliException(ExitCodes.NOT_FOUND, unknownRun(workflows, runId, null)));
  }

  private static String unknownRun(Workflows workflows, String runId, @Nullable String why) {
    List<RunView> runs = workflows.list();
    StringBuilder message = new StringBuilder("no run '").append(runId).append('\'');
    if (why != null) {
      message.append(" (").append(why).append(')');
    }
    if (runs.isEmpty()) {
      return message.append("; there are no runs on this root").toString();
    }
    message.append("; recent runs:");
    runs.stream()
        .limit(RECENT)
        .forEach(
            r ->
                message
                    .append("\n  ")
                    .append(r.runId())
                    .append("  ")
                    .append(r.workflow())
                    .append("  ")
                    .append(r.status().label())
                    .append("  ")
                    .append(r.startedAt()));
    return message.toString();
  }

  /** Runs an engine call, turning its refusals into exit codes. */
  private static <T> T call(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (WorkflowValidationException e) {
      throw CliException.usage(String.valueOf(e.getMessage()));
    } catch (WorkflowException e) {
      throw new CliException(ExitCodes.CONFLICT, String.valueOf(e.getMessage()));
    }
  }

  /** Where a detached run's process writes its output: beside the run's journal. */
  private Path logFile(String runId) {
    Path dir = session.root().resolve("shared").resolve("workflows");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return dir.resolve(runId + ".log");
  }

  /** Exit code of a run that ended. */
  static int exitCode(RunView view) {
    return view.status() == RunStatus.COMPLETED ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
