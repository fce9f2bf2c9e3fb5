package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.mcp.PhiSyncMcpServer;
import io.phisync.protocol.AgentName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serve PhiSync to an AI assistant as MCP tools over stdio, acting as one agent.",
      "stdout carries only the protocol; diagnostics go to stderr. Ends when stdin closes.",
      "Workflow runs it starts execute in background 'phisync workflow resume' processes.",
      "Claude Code: claude mcp add phisync -- phisync mcp --agent dc --root DIR"
    })
final class McpCommand extends CliCommand {
  @Option(
      names = "--agent",
      required = true,
      paramLabel = "AGENT",
      converter = AgentNameConverter.class,
      description =
          "The agent the assistant acts as: its messages are sent from it, and the inbox tools"
              + " read its inbox. It must exist (phisync init --agents AGENT).")
  @SuppressWarnings("NullAway.Init")
  AgentName agent;

  @Override
  public Integer call() throws InterruptedException {
    Session session = session();
    StandardStreams stdio = session.stdio();
    try (PhiSync phi = session.open()) {
      PhiSyncMcpServer server =
          PhiSyncMcpServer.of(phi, agent).withRunLauncher(new McpRunLauncher(session));
      stdio.reserveOut().run();
      session.err().println("phisync: MCP server for agent " + agent + " on " + phi.root());
      server.serve(stdio.in(), stdio.out());
    }
    return ExitCodes.OK;
  }
}
