package io.phisync.clock;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hybrid logical clock timestamp: physical milliseconds since the epoch, a logical counter for
 * events within one millisecond, and the node that made it. Timestamps are totally ordered by
 * physical time, then logical counter, then node id.
 *
 * <p>The text form, {@code 2026-11-24T04:49:41.123Z-0000000002-dc}, is a UTC instant with exactly
 * three fraction digits, the logical counter as ten digits and the node id; for years 1000 to 9999
 * the text sorts as the timestamps do.
 *
 * @param physicalMillis physical time, milliseconds since the epoch, not negative
 * @param logical the logical counter, not negative
 * @param node the node that made the timestamp
 */
public record HlcTimestamp(long physicalMillis, int logical, String node)
    implements Comparable<HlcTimestamp> {
  private static final Comparator<HlcTimestamp> ORDER =
      Comparator.comparingLong(HlcTimestamp::physicalMillis)
          .thenComparingInt(HlcTimestamp::logical)
          .thenComparing(HlcTimestamp::node);
  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern TEXT =
      Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)-(\\d{10})-(.+)");

  /**
   * @throws IllegalArgumentException when a field is negative or the node id breaks its rule
   */
  public HlcTimestamp {
    if (physicalMillis < 0 || logical < 0) {
      throw new IllegalArgumentException(
          "an HLC timestamp has a non-negative time and counter: "
              + physicalMillis
              + ", "
              + logical);
    }
    NodeIds.check(node);
  }

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException saying what the expected form is
   */
  public static HlcTimestamp parse(String text) {
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not an HLC timestamp '"
              + text
              + "': expected <UTC instant with milliseconds>-<10-digit counter>-<node>,"
              + " such as 2026-11-24T04:49:41.123Z-0000000002-dc");
    }
    try {
      long millis = Instant.parse(m.group(1)).toEpochMilli();
      return new HlcTimestamp(millis, Integer.parseInt(m.group(2)), m.group(3));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "not an HLC timestamp '" + text + "': " + e.getMessage(), e);
    }
  }

  /** The physical part as an instant. */
  public Instant instant() {
    return Instant.ofEpochMilli(physicalMillis);
  }

  @Override
  public int compareTo(HlcTimestamp other) {
    return ORDER.compare(this, other);
  }

  /** Whether this timestamp orders after {@code other}. */
  public boolean isAfter(HlcTimestamp other) {
    return compareTo(other) > 0;
  }

  /** The text form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    // Locale.ROOT: the text is read back by other processes, whose locale may write other digits.
    return INSTANT.format(instant())
        + "-"
        + String.format(java.util.Locale.ROOT, "%010d", logical)
        + "-"
        + node;
  }
}
