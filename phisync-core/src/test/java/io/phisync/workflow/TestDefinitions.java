package io.phisync.workflow;

import io.phisync.protocol.Json;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Definitions by name, for the engine's tests (the real codec writes the whole definition; the
 * engine only needs {@code fromJson(toJson(d))} to give {@code d} back).
 */
final class TestDefinitions implements Definitions {
  static final Map<String, WorkflowDefinition> REGISTRY = new ConcurrentHashMap<>();

  @Override
  public WorkflowDefinition load(Path file) {
    throw new UnsupportedOperationException("tests build definitions in code");
  }

  @Override
  public void validate(WorkflowDefinition definition) {}

  @Override
  public JsonNode toJson(WorkflowDefinition definition) {
    REGISTRY.put(definition.name(), definition);
    return Json.object().put("name", definition.name());
  }

  @Override
  public WorkflowDefinition fromJson(JsonNode json) {
    WorkflowDefinition d = REGISTRY.get(json.path("name").asString());
    if (d == null) {
      throw new IllegalStateException("no test definition " + json);
    }
    return d;
  }
}
