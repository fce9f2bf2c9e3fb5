package io.phisync.mcp;

import java.util.List;

/** The one place where tool groups are registered. */
final class ToolGroups {
  private ToolGroups() {}

  /** Every group, in the order their tools are listed. */
  static List<ToolGroup> all(ToolContext context) {
    // Events, state, locks and workflows add their groups here, one class each.
    return List.of(new MessageTools(context), new InboxTools(context), new AgentTools(context));
  }
}
