package io.phisync.bench.process;

import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The codex's response: {@code <responder>/outbox/resp-<requestId>.json}, written atomically. */
final class PlainResponses {
  private PlainResponses() {}

  static void respond(Path outbox, JsonNode request, boolean fsync) throws IOException {
    String id = request.path("id").asString();
    ObjectNode response =
        PlainFiles.message(
            PlainFiles.newId(),
            request.path("to").asString(),
            request.path("from").asString(),
            "response");
    response.put("correlationId", id);
    PlainFiles.write(outbox, "resp-" + id + ".json", PlainFiles.bytes(response), fsync);
  }
}
