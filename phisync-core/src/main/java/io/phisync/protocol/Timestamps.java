package io.phisync.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the timestamps foreign writers put in files: ISO-8601 with an offset and any number of
 * fractional digits (PowerShell's {@code Get-Date -Format o} writes seven), or the {@code
 * /Date(millis)/} form that Windows PowerShell 5's {@code ConvertTo-Json} writes for a DateTime.
 */
public final class Timestamps {
  private static final Pattern MS_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

  private Timestamps() {}

  /**
   * @throws DateTimeException naming the value when it is neither form
   */
  public static OffsetDateTime parse(String text) {
    String value = text.trim();
    if (value.startsWith("/Date(")) { // Every envelope has timestamps: no regex for the others.
      Matcher ms = MS_DATE.matcher(value);
      if (ms.matches()) {
        return Instant.ofEpochMilli(Long.parseLong(ms.group(1))).atOffset(ZoneOffset.UTC);
      }
    }
    OffsetDateTime canonical = parseCanonical(value);
    if (canonical != null) {
      return canonical;
    }
    try {
      return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeException e) {
      try {
        // An instant written with a 'Z' and no offset, or with a zone id: still unambiguous.
        return java.time.ZonedDateTime.parse(value, DateTimeFormatter.ISO_DATE_TIME)
            .toOffsetDateTime();
      } catch (DateTimeException again) {
        throw new DateTimeException(
            "invalid timestamp '"
                + value
                + "': expected ISO-8601 with an offset, such as 2025-11-15T10:30:00.1234567-05:00",
            e);
      }
    }
  }

  /**
   * The form PhiSync, PowerShell's {@code -Format o} and most writers use, read without a
   * formatter: {@code yyyy-MM-ddTHH:mm:ss}, a fraction of 1 to 9 digits or none, and {@code Z} or
   * {@code ±HH:MM}. Null for anything else, valid or not: the formatter then reads it or says why
   * not. Whatever this returns is what {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} returns (a
   * property test holds it to that); every message read parses two timestamps, and the formatter's
   * general machinery was a quarter of decoding one, and most of its cost after an idle second
   * (BENCHMARKS, "Idle wake-up, timed in place").
   */
  static @Nullable OffsetDateTime parseCanonical(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (i - start == 9) {
          return null;
        }
        nanos = nanos * 10 + (s.charAt(i++) - '0');
      }
      if (i == start) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    ZoneOffset offset;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offset = ZoneOffset.UTC;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int hours = digits(s, i + 1, 2);
      int minutes = digits(s, i + 4, 2);
      if ((hours | minutes) < 0) {
        return null;
      }
      int sign = s.charAt(i) == '-' ? -1 : 1;
      try {
        offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
      } catch (DateTimeException e) {
        return null;
      }
    } else {
      return null;
    }
    try {
      return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
    } catch (DateTimeException e) {
      return null; // Out of range, such as February 30: the formatter says so.
    }
  }

  /**
   * The value of {@code count} decimal digits at {@code from}, or -1 if they are not all digits.
   */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * Exactly what {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes (seconds always, the
   * fraction without trailing zeros, {@code Z} for UTC), without the formatter for years 0 to 9999.
   */
  public static String format(OffsetDateTime time) {
    int year = time.getYear();
    if (year < 0 || year > 9999) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }
    StringBuilder out = new StringBuilder(36);
    pad(out, year, 4).append('-');
    pad(out, time.getMonthValue(), 2).append('-');
    pad(out, time.getDayOfMonth(), 2).append('T');
    pad(out, time.getHour(), 2).append(':');
    pad(out, time.getMinute(), 2).append(':');
    pad(out, time.getSecond(), 2);
    int nanos = time.getNano();
    if (nanos > 0) {
      int width = 9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        width--;
      }
      pad(out.append('.'), nanos, width);
    }
    return out.append(time.getOffset().getId()).toString();
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }
}
