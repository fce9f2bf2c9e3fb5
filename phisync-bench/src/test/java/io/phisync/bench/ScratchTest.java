package io.phisync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ScratchTest {
  @TempDir Path scratch;

  @Test
  void clearingAfterAScenario_removesItsRootsAndFiles_keepsTheLogs_andSaysHowMany()
      throws Exception {
    Path logs = Files.createDirectories(scratch.resolve("logs"));
    Files.writeString(logs.resolve("consumer-1.log"), "kept");
    Path inbox = Files.createDirectories(scratch.resolve("3-backlog/webc/inbox"));
    for (int i = 0; i < 25; i++) {
      Files.writeString(inbox.resolve("msg-" + i + ".json"), "{}");
    }
    Files.createDirectories(scratch.resolve("4-raw/empty"));
    Files.writeString(scratch.resolve("stray.txt"), "x");
    List<String> shown = new ArrayList<>();

    long removed = BenchCommand.clearScratch(scratch, logs, shown::add);

    assertThat(removed).isEqualTo(26);
    try (Stream<Path> left = Files.list(scratch)) {
      assertThat(left).containsExactly(logs);
    }
    assertThat(logs.resolve("consumer-1.log")).hasContent("kept");
    assertThat(shown).hasSize(2);
    assertThat(shown.get(1)).startsWith("removed 26 scratch files in ");
  }

  @Test
  void clearingWhenNothingIsLeft_removesNothing_andShowsNothing() throws Exception {
    Path logs = Files.createDirectories(scratch.resolve("logs"));
    List<String> shown = new ArrayList<>();

    assertThat(BenchCommand.clearScratch(scratch, logs, shown::add)).isZero();
    assertThat(shown).isEmpty();
    assertThat(logs).isDirectory();
  }
}
