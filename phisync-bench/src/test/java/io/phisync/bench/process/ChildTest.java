package io.phisync.bench.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One real child JVM through the ready/go/result handshake. */
@Timeout(120)
class ChildTest {
  @TempDir Path dir;

  @Test
  void rawWriter_writesItsFiles_andReportsTheCount() throws Exception {
    Path out = dir.resolve("raw");
    try (Child child =
        Child.start(
            dir.resolve("logs"),
            "raw",
            Subject.RAW_FS,
            Mode.FAST,
            Map.of("dir", out, "count", 25))) {
      child.awaitReady(Duration.ofSeconds(90));
      child.go();
      ChildResult result = child.awaitResult(Duration.ofSeconds(90));

      assertThat(result.count()).isEqualTo(25);
      assertThat(result.elapsedNanos()).isPositive();
    }
    try (var files = Files.list(out)) {
      assertThat(files.filter(f -> !f.getFileName().toString().startsWith("."))).hasSize(25);
    }
  }

  @Test
  void aFailingChild_reportsItsLog() throws Exception {
    try (Child child =
        Child.start(dir.resolve("logs"), "juggle", Subject.RAW_FS, Mode.FAST, Map.of("count", 1))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> child.awaitReady(Duration.ofSeconds(90)))
          .hasMessageContaining("unknown role juggle");
    }
  }
}
