package io.phisync.workflow;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM that resumes a run and executes it until it ends (exit 0), or until the test kills it
 * with kill -9. Arguments: the root and the run id.
 */
public final class OrchestratorChild {
  private OrchestratorChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String runId = args[1];
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      Workflows.RunHandle handle = phi.workflows().resume(runId, RunOptions.as(AgentName.of("dc")));
      RunView view = handle.await(Duration.ofMinutes(5)).orElseThrow();
      System.out.println("ended " + view.status().label());
      System.exit(view.status() == RunStatus.COMPLETED ? 0 : 1);
    }
  }
}
