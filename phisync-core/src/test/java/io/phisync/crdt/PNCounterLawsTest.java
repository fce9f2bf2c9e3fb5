package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;

/** The merge laws and the JSON round trip of {@link PNCounter}. */
class PNCounterLawsTest extends CrdtLaws<PNCounter> {
  @Override
  CrdtType<PNCounter> type() {
    return CrdtType.PN_COUNTER;
  }

  @Override
  int updateKinds() {
    return 2;
  }

  @Override
  PNCounter update(PNCounter s, String node, int kind, String arg, HlcTimestamp stamp) {
    long by = arg.charAt(0) - 'a' + 1;
    return kind == 0 ? s.increment(node, by) : s.decrement(node, by);
  }
}
