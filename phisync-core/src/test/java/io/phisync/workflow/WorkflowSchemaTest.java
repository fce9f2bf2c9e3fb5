package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.phisync.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * docs/schemas/workflow.schema.json describes what {@link WorkflowLoader} reads: every example and
 * every valid loader fixture matches it (as written and in canonical JSON), and files the loader
 * refuses are refused by the schema too.
 */
@Timeout(60)
class WorkflowSchemaTest {
  private static final String ID = "https://phisync.io/schemas/v1/workflow.schema.json";
  private static Schema schema;

  @TempDir Path dir;

  @BeforeAll
  static void loadSchema() throws IOException {
    String text = Files.readString(Path.of("..", "docs", "schemas", "workflow.schema.json"));
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(Map.of(ID, text)));
    schema = registry.getSchema(SchemaLocation.of(ID));
  }

  private static List<Error> errors(JsonNode tree) {
    return schema.validate(Json.compact(tree), InputFormat.JSON);
  }

  private static JsonNode tree(Path file) throws IOException {
    return WorkflowLoader.parse(file.getFileName().toString(), Files.readAllBytes(file));
  }

  /** The workflow files of examples/ (examples/agents holds agent handler files). */
  private static List<Path> examples() throws IOException {
    Path examples = Path.of("..", "examples");
    try (Stream<Path> files = Files.walk(examples)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .filter(f -> !f.startsWith(examples.resolve("agents")))
          .sorted()
          .toList();
    }
  }

  private static List<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "resources", "workflows"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void everyExampleAndValidFixture_matchesTheSchema_asWrittenAndInCanonicalJson()
      throws IOException {
    List<Path> files = Stream.concat(examples().stream(), fixtures().stream()).toList();
    assertThat(examples()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(fixtures()).hasSizeGreaterThanOrEqualTo(2);
    for (Path file : files) {
      WorkflowDefinition loaded = WorkflowLoader.load(file);
      assertThat(errors(tree(file))).as("%s as written", file).isEmpty();
      assertThat(errors(WorkflowCodec.encode(loaded))).as("%s in canonical JSON", file).isEmpty();
    }
  }

  @Test
  void filesTheLoaderRefuses_theSchemaRefusesToo() throws IOException {
    String valid =
        """
        name: shapes
        steps:
          - id: a
            task: {agent: cmdc, command: go}
        """;
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, valid);
    assertThat(errors(tree(ok))).isEmpty();
    WorkflowLoader.load(ok);

    List<String> invalid =
        List.of(
            // an unknown top-level key
            valid + "colour: blue\n",
            // a step with two kinds
            valid + "  - id: b\n    task: {agent: cmdc, command: x}\n    wait: {duration: 1s}\n",
            // a step with no kind
            valid + "  - id: b\n    dependsOn: [a]\n",
            // a scatter without merge
            valid
                + "  - id: s\n    scatter: {items: input.xs, partitions: 2,"
                + " task: {agent: cmdc, command: x}}\n",
            // a scatter with both partitions and chunkSize
            valid
                + "  - id: s\n    scatter: {items: input.xs, partitions: 2, chunkSize: 3,"
                + " merge: sum, task: {agent: cmdc, command: x}}\n",
            // partitions as a string that is not a template
            valid
                + "  - id: s\n    scatter: {items: input.xs, partitions: '8', merge: sum,"
                + " task: {agent: cmdc, command: x}}\n",
            // a scatter merging by object
            valid
                + "  - id: s\n    scatter: {items: input.xs, partitions: 2, merge: object,"
                + " task: {agent: cmdc, command: x}}\n",
            // a parallel without merge
            valid
                + "  - id: p\n    parallel: {branches: [{id: x, task: {agent: cmdc, command: x}}]}\n",
            // a bad duration
            valid + "  - id: w\n    wait: {duration: 5 minutes}\n",
            // an unknown trigger rule
            valid + "  - id: b\n    trigger: sometimes\n    task: {agent: cmdc, command: x}\n",
            // an unknown retry field
            valid + "  - id: b\n    retry: {attempts: 3}\n    task: {agent: cmdc, command: x}\n",
            // a task without command
            valid + "  - id: b\n    task: {agent: cmdc}\n",
            // a bad agent name
            valid + "  - id: b\n    task: {agent: Bad.Agent, command: x}\n",
            // a bad step id
            valid + "  - id: 9lives\n    task: {agent: cmdc, command: x}\n",
            // an approval without timeout, with an unknown expiry policy
            valid + "  - id: ok2\n    approval: {message: go?, onTimeout: shrug}\n");
    for (int i = 0; i < invalid.size(); i++) {
      Path file = dir.resolve("bad" + i + ".yaml");
      Files.writeString(file, invalid.get(i), StandardCharsets.UTF_8);
      assertThat(errors(tree(file))).as("schema on:%n%s", invalid.get(i)).isNotEmpty();
      assertThatThrownBy(() -> WorkflowLoader.load(file))
          .as("loader on:%n%s", invalid.get(i))
          .isInstanceOf(WorkflowValidationException.class);
    }
  }
}
