package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;

/** The merge laws and the JSON round trip of {@link ORSet}. */
class ORSetLawsTest extends CrdtLaws<ORSet> {
  @Override
  CrdtType<ORSet> type() {
    return CrdtType.OR_SET;
  }

  @Override
  int updateKinds() {
    return 2;
  }

  @Override
  ORSet update(ORSet s, String node, int kind, String arg, HlcTimestamp stamp) {
    return kind == 0 ? s.add(node, arg) : s.remove(arg);
  }
}
