package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.mcp.RunLauncher;
import io.phisync.protocol.AgentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes a run started through {@code phisync mcp} the way {@code workflow run --detach} does: in
 * a background {@code phisync workflow resume RUN} process that outlives the MCP server (an
 * assistant's session may end long before an approval is given), its output appended to {@code
 * shared/workflows/RUN.log}. It inherits the server's environment, so it verifies approvals with
 * the same {@code PHISYNC_HOME}.
 */
final class McpRunLauncher implements RunLauncher {
  private final Session session;

  McpRunLauncher(Session session) {
    this.session = session;
  }

  @Override
  public Launch launch(PhiSync phi, String runId, AgentName orchestrator) {
    Path dir = phi.root().resolve("shared").resolve("workflows");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Path log = dir.resolve(runId + ".log").toAbsolutePath();
    List<String> args = new ArrayList<>(List.of("--root", phi.root().toAbsolutePath().toString()));
    args.addAll(session.globalFlags());
    args.addAll(List.of("workflow", "resume", runId, "--as", orchestrator.value()));
    long pid = ChildProcess.startDetached(args, log);
    return new Launch(
        "process",
        pid,
        log.toString(),
        "a background 'phisync workflow resume' process executes it and outlives this session; if"
            + " that process dies, 'phisync workflow resume "
            + runId
            + "' continues the run");
  }
}
