package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkflowLoaderTest {
  static final Path FIXTURES = Path.of("src", "test", "resources", "workflows");

  @TempDir Path dir;

  @Test
  void load_readsYamlWithSubWorkflowsEmbedded() {
    WorkflowDefinition release = WorkflowLoader.load(FIXTURES.resolve("release.yaml"));
    assertThat(release.name()).isEqualTo("release");
    Step child = release.steps().stream().filter(s -> s.id().equals("child")).findFirst().get();
    assertThat(((StepBody.SubWorkflow) child.body()).workflow().name()).isEqualTo("child");
    // The canonical JSON embeds the child, and reads back to the same definition.
    assertThat(WorkflowCodec.decode(WorkflowCodec.encode(release))).isEqualTo(release);
  }

  @Test
  void load_readsJson() {
    assertThat(WorkflowLoader.load(FIXTURES.resolve("release.json")).steps()).hasSize(2);
  }

  @Test
  void load_namesAMissingFile() {
    assertThatThrownBy(() -> WorkflowLoader.load(dir.resolve("none.yaml")))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("no such file");
  }

  @Test
  void load_refusesOversizeFiles() throws IOException {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, "name: x\n# " + "x".repeat(WorkflowLoader.MAX_FILE_BYTES) + "\n");
    assertThatThrownBy(() -> WorkflowLoader.load(big))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void load_refusesInvalidUtf8() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.write(bad, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xC3, (byte) 0x28});
    assertThatThrownBy(() -> WorkflowLoader.load(bad))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void load_refusesDeepNestingAndDuplicateKeys() throws IOException {
    Path deep = dir.resolve("deep.json");
    Files.writeString(
        deep, "{\"name\": \"x\", \"output\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
    assertThatThrownBy(() -> WorkflowLoader.load(deep))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("not valid JSON");
    Path deepYaml = dir.resolve("deep.yaml");
    Files.writeString(deepYaml, "name: x\noutput: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
    assertThatThrownBy(() -> WorkflowLoader.load(deepYaml))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("not valid YAML");
    Path dup = dir.resolve("dup.yaml");
    Files.writeString(dup, "name: x\nname: y\nsteps: []\n");
    assertThatThrownBy(() -> WorkflowLoader.load(dup))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("dup.yaml");
  }

  @Test
  void subWorkflowFiles_stayInTheDirectoryTreeAndDoNotCycle() throws IOException {
    Files.createDirectories(dir.resolve("flows"));
    Files.writeString(dir.resolve("outside.yaml"), child("outside"));
    for (String include :
        new String[] {"../outside.yaml", "/etc/passwd", "a/../../outside.yaml", "C:/x.yaml"}) {
      Path parent = dir.resolve("flows").resolve("p.yaml");
      Files.writeString(parent, parent("p", include));
      assertThatThrownBy(() -> WorkflowLoader.load(parent))
          .as(include)
          .isInstanceOf(WorkflowValidationException.class)
          .hasMessageContaining("step 'c'");
    }
    Files.writeString(dir.resolve("flows/a.yaml"), parent("a", "b.yaml"));
    Files.writeString(dir.resolve("flows/b.yaml"), parent("b", "a.yaml"));
    assertThatThrownBy(() -> WorkflowLoader.load(dir.resolve("flows/a.yaml")))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("cycle: a.yaml -> b.yaml -> a.yaml");
    Files.writeString(dir.resolve("flows/m.yaml"), parent("m", "missing.yaml"));
    assertThatThrownBy(() -> WorkflowLoader.load(dir.resolve("flows/m.yaml")))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("no such file");
  }

  private static String parent(String name, String include) {
    return "name: " + name + "\nsteps:\n  - id: c\n    workflow: {file: \"" + include + "\"}\n";
  }

  private static String child(String name) {
    return "name: " + name + "\nsteps:\n  - id: t\n    task: {agent: a, command: c}\n";
  }

  // ---- fuzzing: whatever the bytes, a WorkflowException (validation or unreadable), nothing else

  @Property(tries = 300)
  void randomBytes_giveAWorkflowException(@ForAll byte[] content, @ForAll boolean yaml)
      throws IOException {
    assertLoadFailsCleanly(content, yaml ? "f.yaml" : "f.json");
  }

  @Property(tries = 300)
  void truncatedFiles_giveAWorkflowException(
      @ForAll @IntRange(min = 0, max = 4000) int cut, @ForAll boolean json) throws IOException {
    String text =
        json
            ? Files.readString(FIXTURES.resolve("release.json"))
            : Files.readString(FIXTURES.resolve("release.yaml"));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] part = java.util.Arrays.copyOf(bytes, Math.min(cut, bytes.length - 1));
    assertLoadFailsCleanly(part, json ? "t.json" : "t.yaml");
  }

  @Property(tries = 200)
  void hostileIds_giveAValidationException(@ForAll("hostile") String id) throws IOException {
    String yaml =
        "name: w\nsteps:\n  - id: " + Json.quote(id) + "\n    task: {agent: a, command: c}\n";
    assertLoadFailsCleanly(yaml.getBytes(StandardCharsets.UTF_8), "h.yaml");
  }

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.of("../x", "a/b", "..", "a\u0000b", "", " ", "x".repeat(49), "ä", "a-b", "1a"),
        Arbitraries.strings()
            .withChars("./\\:\u0000é ab")
            .ofMinLength(1)
            .ofMaxLength(10)
            .filter(s -> !s.matches("[A-Za-z][A-Za-z0-9_]{0,47}")));
  }

  private void assertLoadFailsCleanly(byte[] content, String name) throws IOException {
    // jqwik properties get no @TempDir: a directory of their own, removed after.
    Path tmp = Files.createTempDirectory("phisync-loader");
    Path file = tmp.resolve(name);
    try {
      Files.write(file, content);
      WorkflowLoader.load(file);
    } catch (WorkflowException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    } finally {
      Files.deleteIfExists(file);
      Files.delete(tmp);
    }
  }

  /** JSON string quoting for the YAML above (YAML reads JSON strings). */
  static final class Json {
    static String quote(String s) {
      return io.phisync.protocol.Json.compact(s);
    }
  }
}
