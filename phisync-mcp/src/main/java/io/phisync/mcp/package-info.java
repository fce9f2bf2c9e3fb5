/**
 * The MCP server: PhiSync as Model Context Protocol tools over stdio, acting as one agent.
 *
 * <p>{@link io.phisync.mcp.PhiSyncMcpServer} is the way in. Tools come in groups (messages, inbox,
 * events, state, locks, CRDTs, workflows, agents), one class per group, all registered in {@code
 * ToolGroups}.
 */
@NullMarked
package io.phisync.mcp;

import org.jspecify.annotations.NullMarked;
