package io.phisync.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class VectorClockTest {
  private final VectorClock empty = VectorClock.empty();

  @Test
  void compare_sameHistory_isEqual_evenWithExplicitZeros() {
    assertThat(empty.compare(VectorClock.empty())).isEqualTo(Causality.EQUAL);
    assertThat(VectorClock.of(Map.of("a", 0L)).compare(empty)).isEqualTo(Causality.EQUAL);
    assertThat(VectorClock.of(Map.of("a", 0L))).isEqualTo(empty);
  }

  @Test
  void compare_anEventAndItsSuccessor_isBeforeAndAfter() {
    VectorClock first = empty.increment("a");
    VectorClock second = first.increment("b");

    assertThat(first.compare(second)).isEqualTo(Causality.BEFORE);
    assertThat(second.compare(first)).isEqualTo(Causality.AFTER);
    assertThat(empty.compare(first)).isEqualTo(Causality.BEFORE);
    assertThat(second.dominates(first)).isTrue();
    assertThat(first.dominates(second)).isFalse();
  }

  @Test
  void compare_eventsThatDidNotSeeEachOther_isConcurrent() {
    VectorClock base = empty.increment("a");
    VectorClock left = base.increment("a");
    VectorClock right = base.increment("b");

    assertThat(left.compare(right)).isEqualTo(Causality.CONCURRENT);
    assertThat(right.compare(left)).isEqualTo(Causality.CONCURRENT);
    assertThat(left.dominates(right)).isFalse();
  }

  @Test
  void merge_takesEachNodesMaximum_andIsAfterBoth() {
    VectorClock left = VectorClock.of(Map.of("a", 3L, "b", 1L));
    VectorClock right = VectorClock.of(Map.of("b", 5L, "c", 2L));

    VectorClock merged = left.merge(right);

    assertThat(merged.entries())
        .containsExactly(Map.entry("a", 3L), Map.entry("b", 5L), Map.entry("c", 2L));
    assertThat(merged.compare(left)).isEqualTo(Causality.AFTER);
    assertThat(merged.compare(right)).isEqualTo(Causality.AFTER);
    assertThat(merged.covers("b", 5)).isTrue();
    assertThat(merged.covers("b", 6)).isFalse();
  }

  @Test
  void increment_leavesTheOriginalUnchanged() {
    VectorClock one = empty.increment("a");
    one.increment("a");

    assertThat(one.get("a")).isEqualTo(1);
    assertThat(one.get("zz")).isZero();
  }

  @Test
  void negativeCounters_andBadNodeIds_areRefused() {
    assertThatThrownBy(() -> VectorClock.of(Map.of("a", -1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never negative");
    assertThatThrownBy(() -> empty.increment("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("white space");
  }
}
