package io.phisync.mcp;

import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The compact JSON shapes tools answer with. */
final class Results {
  private Results() {}

  static ObjectNode object() {
    return Json.object();
  }

  /** A message as a tool shows it: what the model needs to act on it, nothing more. */
  static ObjectNode message(Envelope message) {
    ObjectNode out = Json.object().put("id", message.id());
    putIfPresent(out, "type", message.type() == null ? null : message.type().wireName());
    putIfPresent(out, "from", message.from());
    putIfPresent(out, "command", message.command().orElse(null));
    putIfPresent(
        out, "timestamp", message.timestamp() == null ? null : message.timestamp().toString());
    putIfPresent(out, "correlationId", message.correlationId());
    if (message.attempt() != null) {
      out.put("attempt", message.attempt());
    }
    JsonNode payload = message.payload();
    if (payload != null) {
      out.set("payload", payload);
    }
    return out;
  }

  /** The text of an error response ({@code headers.status = error}), or null if it is none. */
  static @Nullable String errorText(Envelope response) {
    Map<String, String> headers = response.headers();
    if (headers == null || !"error".equals(headers.get("status"))) {
      return null;
    }
    JsonNode payload = response.payload();
    JsonNode error = payload == null ? null : payload.get("error");
    return error == null ? "(no text)" : error.isString() ? error.asString() : error.toString();
  }

  static void putIfPresent(ObjectNode out, String name, @Nullable String value) {
    if (value != null) {
      out.put(name, value);
    }
  }
}
