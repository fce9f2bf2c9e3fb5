package io.phisync.clock;

/** The rule for node ids in clocks: 1 to 64 characters, none of them a control or white space. */
final class NodeIds {
  static final String RULE =
      "a node id is 1 to 64 characters without white space or control characters";

  private NodeIds() {}

  static String check(String node) {
    if (node.isEmpty() || node.length() > 64) {
      throw new IllegalArgumentException("invalid node id '" + node + "': " + RULE);
    }
    for (int i = 0; i < node.length(); i++) {
      char c = node.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("invalid node id: " + RULE);
      }
    }
    return node;
  }
}
