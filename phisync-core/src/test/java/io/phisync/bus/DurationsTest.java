package io.phisync.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "10s, PT10S",
    "5m, PT5M",
    "2h, PT2H",
    "1d, PT24H",
    "1m30s, PT1M30S",
    "1h2m3s4ms, PT1H2M3.004S",
    "' 10S ', PT10S",
    "PT10S, PT10S",
    "pt1m, PT1M",
    "P1D, PT24H",
    "0s, PT0S",
    "1.5s, PT1.5S",
    "0.25m, PT15S",
    "1.5h, PT1H30M",
    "2.5ms, PT0.0025S"
  })
  void parse_acceptsTheDocumentedForms(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "10",
        "s",
        "10x",
        "-5s",
        "5 s",
        "1.s",
        ".5s",
        "1.0000000001ms",
        "10s5",
        "ms",
        "P",
        "PTxS",
        "1m-30s",
        "99999999999999999999s",
        "9223372036854775807d"
      })
  void parse_rejectsOtherTextNamingTheForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid duration")
        .hasMessageContaining("10s");
  }

  @Test
  void format_isShortAndHuman() {
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMinutes(125))).isEqualTo("2h5m");
  }

  @ParameterizedTest
  @ValueSource(strings = {"250ms", "10s", "1.5s", "5m", "1m30s", "2h5m"})
  void format_ofAParsedWholeUnitDuration_parsesBack(String text) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
  }
}
