package io.phisync.mcp;

import java.util.List;

/** The tools of one concept (messages, inbox, agents, ...), registered in {@link ToolGroups}. */
interface ToolGroup {
  List<Tool> tools();
}
