package io.phisync.clock;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.spi.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HlcTimestampPropertiesTest {
  @Provide
  Arbitrary<HlcTimestamp> stamps() {
    return Combinators.combine(
            // Years 1970 to 9999: the range where the text form has a four-digit year.
            Arbitraries.longs().between(0, 253_402_300_799_999L),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.strings().withChars("abcdz-_09.").ofMinLength(1).ofMaxLength(12))
        .as(HlcTimestamp::new);
  }

  @Property(tries = 1000)
  void text_roundTrips(@ForAll("stamps") HlcTimestamp stamp) {
    assertThat(HlcTimestamp.parse(stamp.toString())).isEqualTo(stamp);
  }

  @Property(tries = 1000)
  void text_sortsAsTheTimestamps_whenNodesAreOfEqualLength(
      @ForAll("stamps") HlcTimestamp a, @ForAll("stamps") HlcTimestamp b) {
    HlcTimestamp sameNode = new HlcTimestamp(b.physicalMillis(), b.logical(), a.node());
    assertThat(Integer.signum(a.toString().compareTo(sameNode.toString())))
        .isEqualTo(Integer.signum(a.compareTo(sameNode)));
  }

  /** Events at two nodes that exchange timestamps under skewed, jumping physical clocks. */
  @Property(tries = 1000)
  void timestamps_growAtEachNode_andEveryReceiveOrdersAfterItsSend(
      @ForAll("steps") List<Integer> steps) {
    MutableClock timeA = MutableClock.startingNow();
    MutableClock timeB = MutableClock.startingNow();
    HybridLogicalClock a = HybridLogicalClock.of("a", timeA, Duration.ofHours(1));
    HybridLogicalClock b = HybridLogicalClock.of("b", timeB, Duration.ofHours(1));
    List<HlcTimestamp> atA = new ArrayList<>(List.of(a.now()));
    List<HlcTimestamp> atB = new ArrayList<>(List.of(b.now()));
    for (int step : steps) {
      switch (step % 4) {
        case 0 -> timeA.advance(Duration.ofMillis(step - 500)); // May go backwards.
        case 1 -> timeB.advance(Duration.ofMillis(step / 2));
        case 2 -> {
          HlcTimestamp sent = atA.get(atA.size() - 1);
          HlcTimestamp received = b.update(sent);
          assertThat(received).isGreaterThan(sent);
          atB.add(received);
        }
        default -> {
          atA.add(a.now());
          HlcTimestamp received = a.update(b.now());
          atA.add(received);
        }
      }
    }
    assertThat(atA).isSorted().doesNotHaveDuplicates();
    assertThat(atB).isSorted().doesNotHaveDuplicates();
  }

  @Provide
  Arbitrary<List<Integer>> steps() {
    return Arbitraries.integers().between(0, 1000).list().ofMaxSize(50);
  }
}
