package io.phisync.workflow;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * The definition format of {@link WorkflowCodec} (what journals keep), {@link WorkflowLoader} (what
 * files hold) and {@link WorkflowValidator}.
 */
final class CodecDefinitions implements Definitions {

  @Override
  public WorkflowDefinition load(Path file) {
    return WorkflowLoader.load(file);
  }

  @Override
  public void validate(WorkflowDefinition definition) {
    WorkflowValidator.validate(definition);
  }

  @Override
  public JsonNode toJson(WorkflowDefinition definition) {
    return WorkflowCodec.encode(definition);
  }

  @Override
  public WorkflowDefinition fromJson(JsonNode json) {
    return WorkflowCodec.decode(json);
  }
}
