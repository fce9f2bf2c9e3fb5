package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;

/** The merge laws and the JSON round trip of {@link LWWMap}. */
class LWWMapLawsTest extends CrdtLaws<LWWMap> {
  @Override
  CrdtType<LWWMap> type() {
    return CrdtType.LWW_MAP;
  }

  @Override
  int updateKinds() {
    return 2;
  }

  @Override
  LWWMap update(LWWMap s, String node, int kind, String arg, HlcTimestamp stamp) {
    String key = arg.equals("d") ? "a" : arg; // Fewer keys, more collisions.
    return kind == 0 ? s.put(key, arg + stamp.logical(), stamp) : s.remove(key, stamp);
  }
}
