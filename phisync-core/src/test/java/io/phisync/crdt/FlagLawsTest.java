package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;

/** The merge laws and the JSON round trip of {@link Flag}. */
class FlagLawsTest extends CrdtLaws<Flag> {
  @Override
  CrdtType<Flag> type() {
    return CrdtType.FLAG;
  }

  @Override
  int updateKinds() {
    return 2;
  }

  @Override
  Flag update(Flag s, String node, int kind, String arg, HlcTimestamp stamp) {
    return kind == 0 ? s.enable(node) : s.disable();
  }
}
