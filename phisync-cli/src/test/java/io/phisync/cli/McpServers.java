package io.phisync.cli;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.phisync.protocol.Json;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code phisync mcp} in child JVMs, driven by the MCP SDK's own client over stdio. */
final class McpServers {
  private McpServers() {}

  /** The command line of {@code phisync --root ROOT mcp --agent AGENT} in a second JVM. */
  static List<String> command(Path root, String agent) {
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaCommand());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classPath());
    command.add(Main.class.getName());
    command.addAll(List.of("--root", root.toString(), "mcp", "--agent", agent));
    return command;
  }

  /** A client connected to, and initialized with, a new server process acting as {@code agent}. */
  static McpSyncClient start(Path root, String agent, StringBuffer stderr) {
    return start(root, agent, stderr, Map.of());
  }

  /** As {@link #start(Path, String, StringBuffer)}, with {@code env} added to the environment. */
  static McpSyncClient start(
      Path root, String agent, StringBuffer stderr, Map<String, String> env) {
    List<String> command = command(root, agent);
    ServerParameters.Builder parameters =
        ServerParameters.builder(command.get(0)).args(command.subList(1, command.size()));
    env.forEach(parameters::addEnvVar);
    ServerParameters server = parameters.build();
    StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(line -> stderr.append(line).append('\n'));
    McpSyncClient client =
        McpClient.sync(transport)
            // Longer than the longest tool wait (45 s), and than a JVM's start on a busy machine.
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .build();
    client.initialize();
    return client;
  }

  /** Calls a tool and returns its result. */
  static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
    return client.callTool(new CallToolRequest(tool, arguments));
  }

  /** The text of a result. */
  static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  /** The JSON of a successful result. */
  static JsonNode json(CallToolResult result) {
    if (Boolean.TRUE.equals(result.isError())) {
      throw new AssertionError("the tool failed: " + text(result));
    }
    return Json.parse(text(result));
  }

  private static String classPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
