package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.phisync.PhiSync;
import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LogKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FileLayoutTest {
  /** A locale whose numbers are written in Thai digits. */
  private static final Locale THAI_DIGITS = Locale.forLanguageTag("th-TH-u-nu-thai");

  @Test
  void number_isTwelveAsciiDigits_andLongerNumbersKeepAllTheirDigits() {
    assertThat(FileLayout.number(0)).isEqualTo("000000000000");
    assertThat(FileLayout.number(42)).isEqualTo("000000000042");
    assertThat(FileLayout.number(999_999_999_999L)).isEqualTo("999999999999");
    assertThat(FileLayout.number(1_234_567_890_123L)).isEqualTo("1234567890123");
  }

  @Test
  void aRevisionsFileName_isTheSameWhateverTheProcessLocale(@TempDir Path root) throws Exception {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(THAI_DIGITS);
      assumeThat(String.format("%012d", 7))
          .as("this JDK formats in Thai digits")
          .isNotEqualTo("000000000007");

      try (PhiSync phi = PhiSync.builder(root).open()) {
        phi.transport().log(LogKind.STATE).tryCommit(StateKey.of("doc"), 1, Json.object());
      }
    } finally {
      Locale.setDefault(before);
    }

    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .contains("rev-000000000001.json");
    }
  }
}
