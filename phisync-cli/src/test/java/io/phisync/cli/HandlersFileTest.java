package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.agent.Program;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class HandlersFileTest {
  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    Path file = dir.resolve("handlers.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void entries_becomePrograms_withRelativePathsFromTheFilesDirectory() throws Exception {
    Path file =
        file(
            """
            handlers:
              research:
                program: ./bin/research
                args: ["--json", 3]
                timeout: 2m
                env: { MODE: fast }
              audit:
                program: kalic-audit
            """);

    Map<String, Program> programs = HandlersFile.read(file, Duration.ofSeconds(7));

    assertThat(programs).containsOnlyKeys("research", "audit");
    Program research = java.util.Objects.requireNonNull(programs.get("research"));
    assertThat(research.command())
        .containsExactly(dir.resolve("bin/research").toString(), "--json", "3");
    assertThat(research.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(research.env()).containsEntry("MODE", "fast");
    assertThat(java.util.Objects.requireNonNull(programs.get("audit")).command())
        .containsExactly("kalic-audit");
    assertThat(java.util.Objects.requireNonNull(programs.get("audit")).timeout())
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void mistakes_areUsageErrorsNamingTheCommandAndTheKey() throws Exception {
    for (var c :
        List.of(
            List.of("nothing: here\n", "unknown key 'nothing'"),
            List.of("handlers: {}\n", "at least one command"),
            List.of("handlers:\n  a:\n    args: [x]\n", "command 'a': 'program' must be"),
            List.of(
                "handlers:\n  a:\n    program: x\n    timeout: soon\n", "command 'a': 'timeout'"),
            List.of("handlers:\n  a:\n    program: x\n    args: x\n", "'args' must be a list"),
            List.of("handlers: [\n", "not valid YAML"))) {
      Path file = file(c.get(0));
      assertThatThrownBy(() -> HandlersFile.read(file, Duration.ofSeconds(1)))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("invalid handlers file")
          .hasMessageContaining(c.get(1));
    }
  }

  @Test
  void exec_isSplitAtWhitespaceOnly_andArgsAreAppendedVerbatim() {
    Program program =
        AgentRun.program(
            "  sh  ./serve.sh '$HOME' ", List.of("two words; rm -rf /"), Duration.ofSeconds(3));
    assertThat(program.command())
        .containsExactly("sh", "./serve.sh", "'$HOME'", "two words; rm -rf /");
    assertThat(program.timeout()).isEqualTo(Duration.ofSeconds(3));
  }
}
