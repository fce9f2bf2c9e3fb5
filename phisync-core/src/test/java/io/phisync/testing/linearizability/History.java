package io.phisync.testing.linearizability;

import io.phisync.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** Reads and merges the files {@link HistoryRecorder} wrote. */
public final class History {
  private History() {}

  /**
   * The operations in {@code files}: a call without a return is pending. A torn last line (the
   * process was killed while writing it) is ignored, as is the call it may have belonged to: the
   * operation then still counts as pending or is absent, which never hides a violation of an
   * operation that returned.
   */
  public static <I, O> List<Operation<I, O>> read(
      List<Path> files, Function<JsonNode, I> input, Function<JsonNode, O> output)
      throws IOException {
    List<Operation<I, O>> ops = new ArrayList<>();
    for (Path file : files) {
      Map<Long, JsonNode> calls = new HashMap<>();
      Map<Long, JsonNode> returns = new HashMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode node;
        try {
          node = Json.parse(line);
        } catch (RuntimeException torn) {
          continue;
        }
        long op = node.get("op").asLong();
        (node.get("event").asString().equals("call") ? calls : returns).put(op, node);
      }
      for (Map.Entry<Long, JsonNode> call : calls.entrySet()) {
        JsonNode c = call.getValue();
        JsonNode r = returns.get(call.getKey());
        int process = c.get("process").asInt();
        I in = input.apply(c.get("input"));
        long at = c.get("time").asLong();
        ops.add(
            r == null
                ? Operation.pending(process, in, at)
                : Operation.of(
                    process, in, output.apply(r.get("output")), at, r.get("time").asLong()));
      }
    }
    return ops;
  }
}
