package io.phisync.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
}
