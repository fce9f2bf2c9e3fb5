package io.phisync.mcp;

import tools.jackson.databind.JsonNode;

/**
 * One MCP tool: its name, what it does (for the model that calls it), what it takes, and what runs.
 *
 * @param name {@code phisync_<verb>}
 * @param description what it does, what comes back and what to do next
 * @param input the arguments' JSON Schema
 * @param readOnly whether it only looks (an MCP annotation hint)
 * @param handler what runs; it returns the result as JSON and throws {@link ToolError} for a domain
 *     error
 */
record Tool(String name, String description, InputSchema input, boolean readOnly, Handler handler) {

  /** The work of one call. */
  @FunctionalInterface
  interface Handler {
    JsonNode call(Args args) throws InterruptedException;
  }
}
