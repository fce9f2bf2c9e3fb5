package io.phisync.mcp;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import java.time.Duration;

/**
 * What every tool works with.
 *
 * @param phi the open root
 * @param self the agent this server acts as; tools never take the sender from their input
 * @param launcher where workflow runs started through the server execute
 */
record ToolContext(PhiSync phi, AgentName self, RunLauncher launcher) {
  /** The longest a tool call blocks, so it stays well inside clients' tool-call limits. */
  static final Duration MAX_WAIT = Duration.ofSeconds(45);

  /** A context whose runs execute in this process. */
  ToolContext(PhiSync phi, AgentName self) {
    this(phi, self, RunLauncher.inProcess());
  }
}
