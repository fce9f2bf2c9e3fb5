package io.phisync.workflow;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * What the engine needs of the definition format: loading and validating files, and the canonical
 * JSON a journal keeps (RunCreated carries the whole definition, so a journal is self-contained).
 */
interface Definitions {

  /**
   * @throws WorkflowValidationException listing every problem
   */
  WorkflowDefinition load(Path file);

  /**
   * @throws WorkflowValidationException listing every problem
   */
  void validate(WorkflowDefinition definition);

  /** The canonical JSON of a definition. */
  JsonNode toJson(WorkflowDefinition definition);

  /** The definition a canonical JSON tree describes. */
  WorkflowDefinition fromJson(JsonNode json);
}
