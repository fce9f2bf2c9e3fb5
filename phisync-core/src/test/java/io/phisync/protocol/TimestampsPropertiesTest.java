package io.phisync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The timestamp fast paths give exactly what the JDK's ISO formatter (and Jackson's own serializer)
 * give, for every time, and never accept what the formatter refuses.
 */
class TimestampsPropertiesTest {
  private static final JsonMapper JACKSONS_OWN =
      JsonMapper.builder().disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  @Provide
  Arbitrary<OffsetDateTime> times() {
    Arbitrary<Integer> nanos =
        Arbitraries.oneOf(
            Arbitraries.just(0),
            Arbitraries.integers().between(0, 999_999_999),
            Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
            Arbitraries.integers().between(0, 9_999_999).map(ticks -> ticks * 100));
    Arbitrary<ZoneOffset> offsets =
        Arbitraries.oneOf(
            Arbitraries.just(ZoneOffset.UTC),
            Arbitraries.integers()
                .between(-18 * 4, 18 * 4)
                .map(q -> ZoneOffset.ofTotalSeconds(q * 900)),
            Arbitraries.integers().between(-64_800, 64_800).map(ZoneOffset::ofTotalSeconds));
    return Combinators.combine(
            Arbitraries.longs().between(-70_000_000_000L, 260_000_000_000L), nanos, offsets)
        .as(
            (seconds, nano, offset) ->
                OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(seconds, nano), offset));
  }

  @Property
  void format_isTheIsoFormattersOutput_andJacksonsOwn(@ForAll("times") OffsetDateTime time) {
    String iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    assertThat(Timestamps.format(time)).isEqualTo(iso);
    assertThat(Json.mapper().writeValueAsString(time))
        .isEqualTo(JACKSONS_OWN.writeValueAsString(time))
        .isEqualTo('"' + iso + '"');
  }

  @Property
  void parse_ofWhatTheFormatterWrites_isWhatTheFormatterReads(
      @ForAll("times") OffsetDateTime time) {
    String iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    OffsetDateTime expected = OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    assertThat(Timestamps.parse(iso)).isEqualTo(expected);
    if (Timestamps.parseCanonical(iso) != null) {
      assertThat(Timestamps.parseCanonical(iso)).isEqualTo(expected);
    }
  }

  /** Near-misses of the canonical form: digits and separators swapped, cut or added anywhere. */
  @Provide
  Arbitrary<String> nearMisses() {
    Arbitrary<String> base = times().map(DateTimeFormatter.ISO_OFFSET_DATE_TIME::format);
    Arbitrary<Character> noise =
        Arbitraries.of('0', '9', '3', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ');
    return Combinators.combine(
            base,
            Arbitraries.integers().between(0, 40),
            noise,
            Arbitraries.integers().between(0, 2))
        .as(
            (text, at, c, how) -> {
              int i = Math.min(at, text.length());
              return switch (how) {
                case 0 -> text.substring(0, i) + c + text.substring(i);
                case 1 ->
                    i < text.length() ? text.substring(0, i) + c + text.substring(i + 1) : text + c;
                default -> i < text.length() ? text.substring(0, i) + text.substring(i + 1) : text;
              };
            });
  }

  @Property(tries = 3000)
  void canonical_acceptsOnlyWhatTheFormatterAccepts_withTheSameValue(
      @ForAll("nearMisses") String text) {
    OffsetDateTime fast = Timestamps.parseCanonical(text);
    if (fast != null) {
      assertThat(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME))
          .isEqualTo(fast);
    }
  }

  @Property
  void canonical_ofAFractionOfAnyLength_isTheFormattersValue(
      @ForAll @IntRange(min = 1, max = 9) int digits,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
    String fraction = String.format("%09d", nanos).substring(0, digits);
    String text = "2025-11-15T10:30:00." + fraction + "-05:00";
    assertThat(Timestamps.parseCanonical(text))
        .isEqualTo(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
  }

  @Property
  void invalidDates_areRefusedWithTheFormattersReason(
      @ForAll @IntRange(min = 30, max = 31) int day) {
    String text = "2025-02-" + day + "T10:30:00Z";
    assertThat(Timestamps.parseCanonical(text)).isNull();
    assertThatThrownBy(() -> Timestamps.parse(text))
        .isInstanceOf(DateTimeException.class)
        .hasMessageContaining(text);
  }
}
