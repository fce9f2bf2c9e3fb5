package io.phisync.cli;

import io.phisync.protocol.Json;
import io.phisync.workflow.RunView;
import io.phisync.workflow.Workflows;
import java.time.Duration;
import java.util.Optional;

/** Follows a run executing in this process: live progress, then the summary and exit code. */
final class AttachedRun {
  private static final Duration TICK = Duration.ofMillis(200);

  private final Session session;
  private final RunProgress progress;
  private final boolean json;

  AttachedRun(Session session, RunProgress progress, boolean json) {
    this.session = session;
    this.progress = progress;
    this.json = json;
  }

  /** Shows the run until it ends; 0 when it completed, 1 when it failed or was canceled. */
  int follow(Workflows.RunHandle handle) throws InterruptedException {
    RunView first = handle.view();
    if (!json) {
      progress.header(handle.runId(), first.workflow());
    }
    Thread hint = new Thread(() -> interrupted(handle.runId()), "phisync-workflow-detach");
    Runtime.getRuntime().addShutdownHook(hint);
    RunView end;
    try {
      end = await(handle);
    } catch (io.phisync.workflow.WorkflowException e) {
      throw new CliException(
          ExitCodes.FAILURE,
          e.getMessage()
              + "; the run stays in its journal: 'phisync workflow status "
              + handle.runId()
              + "', 'phisync workflow resume "
              + handle.runId()
              + "'");
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hint);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs.
      }
    }
    if (json) {
      session.out().println(Json.pretty(RunJson.view(end)));
    } else {
      progress.showNow(end);
      progress.summary(end);
      session.out().println("  phisync workflow status " + end.runId());
      session.out().println("  phisync workflow graph " + end.runId());
      if (!end.status().isDone()) {
        session.out().println("  phisync workflow resume " + end.runId());
      } else if (WorkflowTasks.exitCode(end) != ExitCodes.OK) {
        session.out().println("  phisync workflow retry " + end.runId());
      }
      session.out().flush();
    }
    return WorkflowTasks.exitCode(end);
  }

  private RunView await(Workflows.RunHandle handle) throws InterruptedException {
    while (true) {
      Optional<RunView> ended = handle.await(Duration.ZERO);
      if (ended.isPresent()) {
        return ended.get();
      }
      if (json) {
        ended = handle.await(TICK);
        if (ended.isPresent()) {
          return ended.get();
        }
      } else {
        progress.update(TICK);
      }
    }
  }

  private void interrupted(String runId) {
    session
        .err()
        .printf(
            "%nstopped following %s: it stays in its journal; continue it with"
                + " 'phisync workflow resume %s'%n",
            runId, runId);
    session.err().flush();
  }
}
