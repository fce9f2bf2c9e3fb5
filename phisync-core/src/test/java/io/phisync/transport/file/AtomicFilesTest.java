package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.spi.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AtomicFilesTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void createNew_writesTheWholeFileAndLeavesNoTemp(Durability durability) throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path target = dir.resolve("req-a.json");

    files.createNew(target, bytes("{\"id\":\"a\"}"));

    assertThat(target).hasContent("{\"id\":\"a\"}");
    assertThat(names()).containsExactly("req-a.json");
    assertThat(files.durability()).isEqualTo(durability);
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void createNew_existingTarget_throwsAndKeepsTheOldContent(Durability durability)
      throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path target = dir.resolve("req-a.json");
    files.createNew(target, bytes("old"));

    assertThatThrownBy(() -> files.createNew(target, bytes("new")))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(target).hasContent("old");
    assertThat(names()).containsExactly("req-a.json");
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void replace_swapsTheWholeContent(Durability durability) throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path target = dir.resolve("state.json");
    files.replace(target, bytes("one"));
    files.replace(target, bytes("two"));

    assertThat(target).hasContent("two");
    assertThat(names()).containsExactly("state.json");
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void move_missingSource_throwsNoSuchFile(Durability durability) throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path source = dir.resolve("a.json");
    files.createNew(source, bytes("x"));
    files.move(source, dir.resolve("b.json"));

    assertThatThrownBy(() -> files.move(source, dir.resolve("c.json")))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(names()).containsExactly("b.json");
  }

  @Test
  void tempNames_areSkippedByReaders() {
    assertThat(AtomicFiles.isTemp(".req-a.json.1f2e.tmp")).isTrue();
    assertThat(FileLayout.isMessageFile(".req-a.json.1f2e.tmp")).isFalse();
    assertThat(FileLayout.isMessageFile("req-a.json")).isTrue();
  }
}
