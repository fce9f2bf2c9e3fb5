package io.phisync.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.spi.UnknownAgentException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * PhiSync as MCP tools over stdio, acting as one agent: every message it sends is from that agent,
 * and its inbox tools read that agent's inbox. No tool blocks longer than 45 s.
 *
 * <pre>{@code
 * try (PhiSync phi = PhiSync.open(root)) {
 *   PhiSyncMcpServer.of(phi, AgentName.of("dc")).serve(System.in, System.out);
 * }
 * }</pre>
 */
public final class PhiSyncMcpServer {
  /** The name the server gives in the MCP handshake. */
  public static final String NAME = "phisync";

  private final ToolContext context;
  private final List<Tool> tools;

  private PhiSyncMcpServer(ToolContext context) {
    this.context = context;
    this.tools = ToolGroups.all(context).stream().flatMap(g -> g.tools().stream()).toList();
  }

  /**
   * A server acting as {@code agent} on {@code phi}'s root.
   *
   * @throws UnknownAgentException when the root has no such agent
   */
  public static PhiSyncMcpServer of(PhiSync phi, AgentName agent) {
    if (!phi.transport().hasAgent(agent)) {
      throw new UnknownAgentException(
          "there is no agent '"
              + agent
              + "' at "
              + phi.root()
              + "; create it with 'phisync init --agents "
              + agent
              + "'");
    }
    return new PhiSyncMcpServer(new ToolContext(phi, agent));
  }

  /**
   * This server with runs started through {@code phisync_workflow_start} executed by {@code
   * launcher} (by default in this process, see {@link RunLauncher#inProcess()}).
   */
  public PhiSyncMcpServer withRunLauncher(RunLauncher launcher) {
    return new PhiSyncMcpServer(new ToolContext(context.phi(), context.self(), launcher));
  }

  /** The names of the tools, in the order they are listed. */
  public List<String> toolNames() {
    return tools.stream().map(Tool::name).toList();
  }

  /**
   * Serves MCP over {@code in} and {@code out} (newline-delimited JSON-RPC) until {@code in} ends.
   * Nothing but the protocol is written to {@code out}.
   *
   * @throws InterruptedException when interrupted while serving
   */
  public void serve(InputStream in, OutputStream out) throws InterruptedException {
    CountDownLatch ended = new CountDownLatch(1);
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(McpJsonDefaults.getMapper(), new EndAware(in, ended), out);
    List<SyncToolSpecification> specifications =
        tools.stream().map(ToolCalls::specification).toList();
    McpSyncServer server =
        McpServer.sync(transport)
            .serverInfo(NAME, version())
            .instructions(instructions())
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specifications)
            .build();
    try {
      ended.await();
    } finally {
      server.closeGracefully();
    }
  }

  private String instructions() {
    return "You are agent '"
        + context.self()
        + "' on the PhiSync root "
        + context.phi().root()
        + ". Other agents (see phisync_status) send you requests: take them with phisync_receive"
        + " and answer with phisync_reply. To delegate work, use phisync_request and, if it is"
        + " still pending, phisync_wait_response. Publish facts with phisync_publish and follow"
        + " them with phisync_read_events or phisync_wait_event (pass the returned ack back to"
        + " move your cursor); share data with phisync_state_get and phisync_state_cas; take"
        + " phisync_lock_acquire before work only one agent may do. Start a multi-step workflow"
        + " with phisync_workflow_start and follow it with phisync_workflow_wait or"
        + " phisync_workflow_status; when a run waits for an approval (phisync_approvals_pending),"
        + " ask the human to decide with 'phisync approve RUN STEP': you cannot approve. No tool"
        + " blocks longer than 45 seconds.";
  }

  private static String version() {
    String version = PhiSyncMcpServer.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** Counts down when the client closes our input: that ends the session. */
  private static final class EndAware extends FilterInputStream {
    private final CountDownLatch ended;

    EndAware(InputStream in, CountDownLatch ended) {
      super(in);
      this.ended = ended;
    }

    @Override
    public int read() throws IOException {
      try {
        return seen(super.read());
      } catch (IOException e) {
        ended.countDown();
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return seen(super.read(b, off, len));
      } catch (IOException e) {
        ended.countDown();
        throw e;
      }
    }

    private int seen(int n) {
      if (n < 0) {
        ended.countDown();
      }
      return n;
    }
  }
}
