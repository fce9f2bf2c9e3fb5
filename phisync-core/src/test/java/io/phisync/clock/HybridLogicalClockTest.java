package io.phisync.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.spi.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HybridLogicalClockTest {
  private final MutableClock time = MutableClock.startingNow();
  private final HybridLogicalClock hlc = HybridLogicalClock.of("dc", time, Duration.ofSeconds(5));

  @Test
  void now_followsPhysicalTime_andCountsWithinAMillisecond() {
    HlcTimestamp first = hlc.now();
    HlcTimestamp second = hlc.now();
    time.advance(Duration.ofMillis(3));
    HlcTimestamp third = hlc.now();

    assertThat(first.physicalMillis()).isEqualTo(time.millis() - 3);
    assertThat(first.logical()).isZero();
    assertThat(second.physicalMillis()).isEqualTo(first.physicalMillis());
    assertThat(second.logical()).isEqualTo(1);
    assertThat(third.physicalMillis()).isEqualTo(time.millis());
    assertThat(third.logical()).isZero();
    assertThat(List.of(first, second, third)).isSorted();
  }

  @Test
  void text_isTheSameWhateverTheLocale_andReadsBack() {
    hlc.now();
    HlcTimestamp stamp = hlc.now(); // Logical 1.
    java.util.Locale before = java.util.Locale.getDefault();
    String text;
    try {
      java.util.Locale.setDefault(java.util.Locale.forLanguageTag("th-TH-u-nu-thai"));
      text = stamp.toString();
    } finally {
      java.util.Locale.setDefault(before);
    }

    assertThat(text).matches("[0-9T:.Z-]+-0000000001-dc");
    assertThat(HlcTimestamp.parse(text)).isEqualTo(stamp);
  }

  @Test
  void now_neverGoesBackwards_whenThePhysicalClockDoes() {
    List<HlcTimestamp> stamps = new ArrayList<>();
    stamps.add(hlc.now());
    time.advance(Duration.ofSeconds(-30)); // NTP steps the clock back.
    stamps.add(hlc.now());
    stamps.add(hlc.now());
    time.advance(Duration.ofSeconds(31));
    stamps.add(hlc.now());

    for (int i = 1; i < stamps.size(); i++) {
      assertThat(stamps.get(i)).isGreaterThan(stamps.get(i - 1));
    }
    assertThat(stamps.get(2).logical()).isEqualTo(2);
  }

  @Test
  void update_ordersAfterTheRemoteTimestamp_withinTheOffset() {
    HlcTimestamp local = hlc.now();
    HlcTimestamp remote = new HlcTimestamp(time.millis() + 4_000, 7, "webc");

    HlcTimestamp received = hlc.update(remote);

    assertThat(received).isGreaterThan(remote).isGreaterThan(local);
    assertThat(received.physicalMillis()).isEqualTo(remote.physicalMillis());
    assertThat(received.logical()).isEqualTo(8);
    assertThat(received.node()).isEqualTo("dc");
    assertThat(hlc.now()).isGreaterThan(received);
  }

  @Test
  void update_withAnOlderRemote_keepsTheLocalTime() {
    time.advance(Duration.ofMillis(10));
    HlcTimestamp local = hlc.now();

    HlcTimestamp received = hlc.update(new HlcTimestamp(local.physicalMillis() - 5, 9, "webc"));

    assertThat(received.physicalMillis()).isEqualTo(local.physicalMillis());
    assertThat(received.logical()).isEqualTo(local.logical() + 1);
  }

  @Test
  void update_refusesARemoteFurtherAheadThanTheMaximumOffset_andStaysUnchanged() {
    HlcTimestamp before = hlc.now();
    HlcTimestamp remote = new HlcTimestamp(time.millis() + 5_001, 0, "webc");

    assertThatThrownBy(() -> hlc.update(remote))
        .isInstanceOfSatisfying(
            ClockOffsetException.class,
            e -> {
              assertThat(e.remote()).isEqualTo(remote);
              assertThat(e.ahead()).isEqualTo(Duration.ofMillis(5_001));
              assertThat(e.maxOffset()).isEqualTo(Duration.ofSeconds(5));
            })
        .hasMessageContaining("webc")
        .hasMessageContaining("5001 ms ahead")
        .hasMessageContaining("maximum offset of 5000 ms");

    HlcTimestamp after = hlc.now();
    assertThat(after.physicalMillis()).isEqualTo(before.physicalMillis());
    assertThat(after.logical()).isEqualTo(before.logical() + 1);
    assertThat(hlc.update(new HlcTimestamp(time.millis() + 5_000, 0, "webc"))).isNotNull();
  }

  @Test
  void timestamps_orderByTimeThenCounterThenNode() {
    HlcTimestamp a = new HlcTimestamp(10, 0, "b");
    HlcTimestamp b = new HlcTimestamp(10, 1, "a");
    HlcTimestamp c = new HlcTimestamp(10, 1, "b");
    HlcTimestamp d = new HlcTimestamp(11, 0, "a");

    assertThat(List.of(d, c, b, a).stream().sorted().toList()).containsExactly(a, b, c, d);
  }

  @Test
  void text_isTheDocumentedForm_andParsesBack() {
    HlcTimestamp stamp = new HlcTimestamp(1_764_000_000_120L, 2, "dc");

    assertThat(stamp.toString()).isEqualTo("2025-11-24T16:00:00.120Z-0000000002-dc");
    assertThat(HlcTimestamp.parse(stamp.toString())).isEqualTo(stamp);
    assertThatThrownBy(() -> HlcTimestamp.parse("2025-11-24T16:00:00Z-2-dc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected <UTC instant with milliseconds>");
  }
}
