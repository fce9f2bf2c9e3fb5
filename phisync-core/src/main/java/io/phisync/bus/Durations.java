package io.phisync.bus;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}.
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d{1,9})?)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, decimals such as {@code
   * 1.5s} (what {@link #format} writes), combinations such as {@code 1m30s}, or an ISO-8601
   * duration ({@code PT10S}).
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Duration parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("pt") || value.startsWith("p")) {
      try {
        return Duration.parse(text.trim());
      } catch (RuntimeException e) {
        throw invalid(text);
      }
    }
    Matcher m = FORM.matcher(value);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < value.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(text);
      }
      try {
        total = total.plus(unit(new BigDecimal(m.group(1)), m.group(2)));
      } catch (ArithmeticException tooLargeOrTooFine) {
        throw invalid(text);
      }
      at = m.end();
    }
    if (value.isEmpty()) {
      throw invalid(text);
    }
    return total;
  }

  private static Duration unit(BigDecimal amount, String unit) {
    long nanosPerUnit =
        switch (unit) {
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default -> 86_400_000_000_000L;
        };
    // Whole nanoseconds only: "1.0000000001s" is rejected rather than silently rounded.
    return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid duration '"
            + text
            + "': use a number and a unit, such as 500ms, 10s, 5m, 2h or 1d");
  }

  /** A short human form: {@code 1.5s}, {@code 250ms}, {@code 5m}. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    if (ms < 3_600_000) {
      return ms % 60_000 == 0
          ? ms / 60_000 + "m"
          : (ms / 60_000) + "m" + (ms % 60_000) / 1000 + "s";
    }
    return ms / 3_600_000 + "h" + (ms % 3_600_000) / 60_000 + "m";
  }
}
