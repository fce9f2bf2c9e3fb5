package io.phisync.mcp;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.workflow.RunOptions;
import org.jspecify.annotations.Nullable;

/**
 * Where a run started with {@code phisync_workflow_start} executes. The tool journals the run first
 * ({@code Workflows.create}) and then launches it, so whatever executes it can be replaced: {@code
 * phisync workflow resume RUN} continues a run from its journal in any process.
 *
 * <p>{@code phisync mcp} launches each run in a detached {@code phisync workflow resume} process,
 * which outlives the assistant's session; {@link #inProcess()} is the default of an embedded
 * server.
 */
@FunctionalInterface
public interface RunLauncher {

  /**
   * Starts executing the journaled run {@code runId} as {@code orchestrator} and returns at once.
   *
   * @throws RuntimeException when it could not be started (an infrastructure fault: the run stays
   *     journaled and can be resumed)
   */
  Launch launch(PhiSync phi, String runId, AgentName orchestrator);

  /**
   * Executes runs in this process, on the engine's threads: a run stops (resumable) when this
   * process closes its {@link PhiSync}.
   */
  static RunLauncher inProcess() {
    return (phi, runId, orchestrator) -> {
      phi.workflows().resume(runId, RunOptions.as(orchestrator));
      return new Launch(
          "server",
          null,
          null,
          "it executes inside this MCP server and stops when the server stops; 'phisync workflow"
              + " resume "
              + runId
              + "' then continues it");
    };
  }

  /**
   * Where a run executes, as the start tool reports it.
   *
   * @param executor {@code "process"} (a detached process) or {@code "server"} (this process)
   * @param pid the executing process, when it is another one
   * @param log the file its output goes to, when there is one
   * @param note what happens if the executor ends, in a sentence
   */
  record Launch(String executor, @Nullable Long pid, @Nullable String log, String note) {}
}
