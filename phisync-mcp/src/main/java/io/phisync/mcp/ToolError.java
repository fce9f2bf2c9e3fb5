package io.phisync.mcp;

/**
 * A domain error: the call could not do what was asked, and the message says what to do next. It
 * becomes a tool result with {@code isError: true}, not a protocol error.
 */
final class ToolError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ToolError(String message) {
    super(message);
  }
}
