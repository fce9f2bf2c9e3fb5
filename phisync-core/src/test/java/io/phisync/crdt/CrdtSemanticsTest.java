package io.phisync.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.clock.HlcTimestamp;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What each CRDT means when replicas update concurrently. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CrdtSemanticsTest {

  @Test
  void counters_sumEveryNodesUpdates() {
    GCounter g = GCounter.empty().increment("a", 3);
    GCounter h = GCounter.empty().increment("b").increment("b");
    assertThat(g.merge(h).value()).isEqualTo(5);

    PNCounter p = PNCounter.empty().increment("a", 10).decrement("a", 4);
    PNCounter q = PNCounter.empty().decrement("b", 7);
    assertThat(p.merge(q).value()).isEqualTo(-1);
    assertThatThrownBy(() -> g.increment("a", 0)).hasMessageContaining("only grows");
  }

  @Test
  void orSet_addConcurrentWithRemove_wins() {
    ORSet base = ORSet.empty().add("a", "x");
    ORSet removedAtB = base.remove("x");
    ORSet readdedAtA = base.add("a", "x");

    assertThat(removedAtB.merge(readdedAtA).value()).containsExactly("x");
    assertThat(readdedAtA.merge(removedAtB).value()).containsExactly("x");
  }

  @Test
  void orSet_removeOfWhatWasSeen_sticks() {
    ORSet atA = ORSet.empty().add("a", "x").add("a", "y");
    ORSet atB = ORSet.empty().merge(atA).remove("x");

    assertThat(atA.merge(atB).value()).containsExactly("y");
    assertThat(atB.merge(atA).value()).containsExactly("y");
  }

  @Test
  void orSet_manyAddRemoveCycles_leaveNoTombstones() {
    ORSet[] replicas = {ORSet.empty(), ORSet.empty(), ORSet.empty()};
    for (int i = 0; i < 3_000; i++) {
      int r = i % 3;
      String element = "e" + (i % 17);
      replicas[r] = i % 2 == 0 ? replicas[r].add("n" + r, element) : replicas[r].remove(element);
      replicas[r] = replicas[r].merge(replicas[(r + 1) % 3]);
    }
    ORSet merged = replicas[0].merge(replicas[1]).merge(replicas[2]);
    for (String element : merged.value()) {
      merged = merged.remove(element);
    }

    assertThat(merged.value()).isEmpty();
    assertThat(merged.elements()).isEmpty();
    // One version vector entry per node is all that remains of 3,000 operations.
    assertThat(merged.dotCount()).isEqualTo(3);
    assertThat(merged.clock().entries()).hasSize(3);
  }

  @Test
  void orSet_presentElements_holdAtMostOneDotPerNode() {
    ORSet s = ORSet.empty();
    for (int i = 0; i < 500; i++) {
      s = s.add("n" + (i % 3), "x").merge(s.add("n" + ((i + 1) % 3), "x"));
    }
    assertThat(s.elements().get("x")).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void lwwRegister_latestStampWins_andEqualTimesAreDecidedByNode() {
    HlcTimestamp t1 = new HlcTimestamp(100, 0, "dc");
    HlcTimestamp t2 = new HlcTimestamp(100, 0, "webc");
    LWWRegister atDc = LWWRegister.empty().assign("from-dc", t1);
    LWWRegister atWebc = LWWRegister.empty().assign("from-webc", t2);

    assertThat(atDc.merge(atWebc).value()).contains("from-webc");
    assertThat(atWebc.merge(atDc).value()).contains("from-webc");
    assertThat(atWebc.assign("stale", t1).value()).contains("from-webc");
    assertThat(atWebc.clear(new HlcTimestamp(101, 0, "dc")).value()).isEmpty();
  }

  @Test
  void mvRegister_keepsConcurrentValues_untilAnAssignmentThatSawThem() {
    MVRegister a = MVRegister.empty().assign("a", "red");
    MVRegister b = MVRegister.empty().assign("b", "blue");
    MVRegister both = a.merge(b);

    assertThat(both.value()).containsExactly("blue", "red");
    MVRegister resolved = both.assign("a", "purple");
    assertThat(resolved.merge(a).merge(b).value()).containsExactly("purple");
  }

  @Test
  void flag_enableConcurrentWithDisable_wins() {
    Flag on = Flag.empty().enable("a");
    Flag offAtB = on.disable();
    Flag onAgainAtA = on.enable("a");

    assertThat(offAtB.merge(on).value()).isFalse();
    assertThat(offAtB.merge(onAgainAtA).value()).isTrue();
    assertThat(Flag.empty().value()).isFalse();
  }

  @Test
  void lwwMap_removalWithALaterStamp_beatsAnOlderPut() {
    LWWMap a = LWWMap.empty().put("owner", "dc", new HlcTimestamp(1, 0, "dc"));
    LWWMap b = a.remove("owner", new HlcTimestamp(2, 0, "webc"));
    LWWMap late = LWWMap.empty().put("owner", "kalic", new HlcTimestamp(1, 5, "kalic"));

    assertThat(b.merge(late).value()).isEmpty();
    assertThat(late.merge(b).value()).isEmpty();
    assertThat(a.merge(late).value()).containsEntry("owner", "kalic");
  }

  @Test
  void orMap_updateConcurrentWithRemove_keepsTheKey_withMergedValues() {
    ORMap<PNCounter> base =
        ORMap.empty(CrdtType.PN_COUNTER).update("a", "visits", c -> c.increment("a", 2));
    ORMap<PNCounter> removedAtB = base.remove("visits");
    ORMap<PNCounter> updatedAtC = base.update("c", "visits", c -> c.increment("c", 1));

    ORMap<PNCounter> merged = removedAtB.merge(updatedAtC);

    assertThat(merged.containsKey("visits")).isTrue();
    assertThat(merged.value())
        .hasEntrySatisfying("visits", c -> assertThat(c.value()).isEqualTo(3));
    assertThat(removedAtB.merge(base).containsKey("visits")).isFalse();
    assertThatThrownBy(() -> merged.merge((ORMap) ORMap.empty(CrdtType.FLAG)))
        .hasMessageContaining("cannot merge");
  }

  @Test
  void types_parseFromTheirNames() {
    assertThat(CrdtType.parse("or-map<or-map<flag>>"))
        .isEqualTo(CrdtType.orMap(CrdtType.orMap(CrdtType.FLAG)));
    assertThat(CrdtType.parse("pn-counter")).isSameAs(CrdtType.PN_COUNTER);
    assertThatThrownBy(() -> CrdtType.parse("counter"))
        .hasMessageContaining("unknown CRDT type 'counter'")
        .hasMessageContaining("g-counter, pn-counter");
  }
}
