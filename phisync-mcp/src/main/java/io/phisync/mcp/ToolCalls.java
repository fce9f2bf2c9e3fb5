package io.phisync.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.spi.DuplicateMessageException;
import io.phisync.spi.LeaseLostException;
import io.phisync.spi.UnknownAgentException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Runs tools for the SDK: a result becomes compact JSON text; a domain error becomes a result with
 * {@code isError: true} that says what to do next; anything else is an infrastructure fault and
 * becomes a protocol error.
 */
final class ToolCalls {
  private static final Logger LOG = LoggerFactory.getLogger(ToolCalls.class);

  private ToolCalls() {}

  static SyncToolSpecification specification(Tool tool) {
    McpSchema.Tool described =
        McpSchema.Tool.builder()
            .name(tool.name())
            .description(tool.description())
            .inputSchema(tool.input().asMap())
            .annotations(
                McpSchema.ToolAnnotations.builder()
                    .readOnlyHint(tool.readOnly())
                    .destructiveHint(false)
                    .openWorldHint(false)
                    .build())
            .build();
    return new SyncToolSpecification(
        described, (exchange, request) -> call(tool, request.arguments()));
  }

  /** Runs one call of {@code tool}. */
  static CallToolResult call(Tool tool, @Nullable Map<String, Object> arguments) {
    try {
      JsonNode result = tool.handler().call(new Args(arguments));
      return CallToolResult.builder().addTextContent(Json.compact(result)).isError(false).build();
    } catch (ToolError e) {
      return error(e.getMessage());
    } catch (UnknownAgentException e) {
      return error(e.getMessage() + ". Call phisync_status to see the agents.");
    } catch (LeaseLostException e) {
      return error(
          e.getMessage()
              + ". The message is no longer yours: do not answer it; call phisync_receive for work.");
    } catch (DuplicateMessageException e) {
      return error(e.getMessage() + ". It was done already; nothing more to do.");
    } catch (MalformedMessageException | IllegalArgumentException e) {
      // Input the core refused (a bad name, a payload that is not an object, ...).
      return error(e.getMessage() + ". Fix the arguments and call " + tool.name() + " again.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fault(tool, e);
    } catch (RuntimeException e) {
      throw fault(tool, e);
    }
  }

  private static CallToolResult error(@Nullable String text) {
    return CallToolResult.builder()
        .addTextContent(text == null ? "failed" : text)
        .isError(true)
        .build();
  }

  private static McpError fault(Tool tool, Exception e) {
    LOG.error("{} failed", tool.name(), e);
    return McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
        .message("PhiSync could not run " + tool.name() + ": " + e)
        .build();
  }
}
