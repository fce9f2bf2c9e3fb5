package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;

/** The merge laws and the JSON round trip of {@link ORMap}, with OR-Set values. */
class ORMapLawsTest extends CrdtLaws<ORMap<ORSet>> {
  @Override
  CrdtType<ORMap<ORSet>> type() {
    return CrdtType.orMap(CrdtType.OR_SET);
  }

  @Override
  int updateKinds() {
    return 3;
  }

  @Override
  ORMap<ORSet> update(ORMap<ORSet> s, String node, int kind, String arg, HlcTimestamp stamp) {
    String key = arg.equals("a") || arg.equals("b") ? "k1" : "k2";
    return switch (kind) {
      case 0 -> s.update(node, key, set -> set.add(node, arg));
      case 1 -> s.update(node, key, set -> set.remove(arg));
      default -> s.remove(key);
    };
  }
}
