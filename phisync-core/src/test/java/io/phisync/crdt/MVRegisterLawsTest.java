package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;

/** The merge laws and the JSON round trip of {@link MVRegister}. */
class MVRegisterLawsTest extends CrdtLaws<MVRegister> {
  @Override
  CrdtType<MVRegister> type() {
    return CrdtType.MV_REGISTER;
  }

  @Override
  int updateKinds() {
    return 1;
  }

  @Override
  MVRegister update(MVRegister s, String node, int kind, String arg, HlcTimestamp stamp) {
    return s.assign(node, arg);
  }
}
