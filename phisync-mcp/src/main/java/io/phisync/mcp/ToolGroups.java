package io.phisync.mcp;

import java.util.List;

/**
 * The one place where tool groups are registered.
 *
 * <p>Adding a group (events, state, locks, workflows): write a {@code final class XTools implements
 * ToolGroup} taking the {@link ToolContext}; each {@link Tool} has a {@code phisync_<verb>} name, a
 * description that says what comes back and what to do next, an {@link InputSchema} with a
 * description per argument, and a handler that reads its {@link Args} and returns compact JSON
 * ({@link Results}). Throw {@link ToolError} for a domain error; map a new core exception that is a
 * domain error in {@link ToolCalls#call}. A tool that waits caps its wait at {@link
 * ToolContext#MAX_WAIT}; work that takes longer returns an id at once and a separate tool waits for
 * it. Then add the group to the list below.
 */
final class ToolGroups {
  private ToolGroups() {}

  /** Every group, in the order their tools are listed. */
  static List<ToolGroup> all(ToolContext context) {
    return List.of(
        new MessageTools(context),
        new InboxTools(context),
        new EventTools(context),
        new StateTools(context),
        new LockTools(context),
        new CrdtTools(context),
        new WorkflowTools(context),
        new AgentTools(context));
  }
}
