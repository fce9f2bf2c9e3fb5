package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;

/** The merge laws and the JSON round trip of {@link GCounter}. */
class GCounterLawsTest extends CrdtLaws<GCounter> {
  @Override
  CrdtType<GCounter> type() {
    return CrdtType.G_COUNTER;
  }

  @Override
  int updateKinds() {
    return 1;
  }

  @Override
  GCounter update(GCounter s, String node, int kind, String arg, HlcTimestamp stamp) {
    return s.increment(node, arg.charAt(0) - 'a' + 1);
  }
}
