package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowCommandTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void validate_summarisesAValidFile() throws Exception {
    Path file =
        write(
            "ok.yaml",
            "name: ok\nsteps:\n  - id: a\n    task: {agent: x, command: c}\n"
                + "  - id: p\n    dependsOn: [a]\n    parallel:\n      merge: collect\n"
                + "      branches:\n        - {id: b, task: {agent: x, command: c}}\n");
    Cli.Result result = Cli.run("workflow", "validate", file.toString());
    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.out()).contains("workflow 'ok' is valid: 3 steps (1 parallel, 2 task)");
    Cli.Result json = Cli.run("workflow", "validate", "--json", file.toString());
    assertThat(Json.parse(json.out()).get("kinds").get("task").intValue()).isEqualTo(2);
  }

  @Test
  void validate_listsEveryProblemAndExits1() throws Exception {
    Path file =
        write(
            "bad.yaml",
            "name: bad\nsteps:\n  - id: a\n    dependsOn: [b]\n    task: {agent: x, command: c}\n"
                + "  - id: b\n    dependsOn: [a]\n    task: {agent: x, command: c}\n"
                + "  - id: f\n    parallel: {branches: [{id: g, task: {agent: x, command: c}}]}\n");
    Cli.Result result = Cli.run("workflow", "validate", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .contains("step 'f' (steps[2].parallel.merge)")
        .contains("needs a merge");
    Path cycle =
        write(
            "cycle.yaml",
            "name: bad\nsteps:\n  - id: a\n    dependsOn: [b]\n    task: {agent: x, command: c}\n"
                + "  - id: b\n    dependsOn: [a]\n    task: {agent: x, command: c}\n");
    Cli.Result json = Cli.run("workflow", "validate", "--json", cycle.toString());
    assertThat(json.exitCode()).isEqualTo(1);
    assertThat(json.out()).contains("dependency cycle: a -> b -> a");
    assertThat(Cli.run("workflow", "validate", dir.resolve("none.yaml").toString()).exitCode())
        .isEqualTo(1);
    assertThat(Cli.run("workflow", "validate").exitCode()).isEqualTo(2);
  }

  @Test
  void graph_printsMermaid() throws Exception {
    Path file =
        write(
            "g.yaml",
            "name: g\nsteps:\n  - id: a\n    task: {agent: x, command: c}\n"
                + "  - id: b\n    dependsOn: [a]\n    task: {agent: y, command: d}\n");
    Cli.Result result = Cli.run("workflow", "graph", file.toString());
    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.out()).startsWith("flowchart TD").contains("s_a --> s_b");
  }
}
