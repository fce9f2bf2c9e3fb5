package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;

/** The merge laws and the JSON round trip of {@link LWWRegister}. */
class LWWRegisterLawsTest extends CrdtLaws<LWWRegister> {
  @Override
  CrdtType<LWWRegister> type() {
    return CrdtType.LWW_REGISTER;
  }

  @Override
  int updateKinds() {
    return 2;
  }

  @Override
  LWWRegister update(LWWRegister s, String node, int kind, String arg, HlcTimestamp stamp) {
    return kind == 0 ? s.assign(arg, stamp) : s.clear(stamp);
  }
}
