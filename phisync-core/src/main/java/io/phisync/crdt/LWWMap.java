package io.phisync.crdt;

import io.phisync.clock.HlcTimestamp;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A map whose every key is a {@link LWWRegister}: for each key the write with the greatest HLC
 * timestamp wins. A removed key keeps its register, cleared, so that an older write cannot bring it
 * back; metadata grows with the keys ever written, not with the writes.
 *
 * @param entries each key's register, cleared for removed keys
 */
public record LWWMap(SortedMap<String, LWWRegister> entries)
    implements Crdt<LWWMap, SortedMap<String, String>> {

  public LWWMap {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  /** The empty map. */
  public static LWWMap empty() {
    return new LWWMap(new TreeMap<>());
  }

  /** Sets {@code key} to {@code value} at {@code stamp}. */
  public LWWMap put(String key, String value, HlcTimestamp stamp) {
    return with(key, register(key).assign(value, stamp));
  }

  /** Removes {@code key} at {@code stamp}. */
  public LWWMap remove(String key, HlcTimestamp stamp) {
    return with(key, register(key).clear(stamp));
  }

  private LWWRegister register(String key) {
    return entries.getOrDefault(key, LWWRegister.empty());
  }

  private LWWMap with(String key, LWWRegister register) {
    TreeMap<String, LWWRegister> next = new TreeMap<>(entries);
    next.put(key, register);
    return new LWWMap(next);
  }

  @Override
  public LWWMap merge(LWWMap other) {
    TreeSet<String> keys = new TreeSet<>(entries.keySet());
    keys.addAll(other.entries.keySet());
    TreeMap<String, LWWRegister> next = new TreeMap<>();
    for (String key : keys) {
      next.put(key, register(key).merge(other.register(key)));
    }
    return new LWWMap(next);
  }

  /** The present keys and their values. */
  @Override
  public SortedMap<String, String> value() {
    TreeMap<String, String> out = new TreeMap<>();
    entries.forEach((key, register) -> register.value().ifPresent(v -> out.put(key, v)));
    return Collections.unmodifiableSortedMap(out);
  }

  @Override
  public CrdtType<LWWMap> type() {
    return CrdtType.LWW_MAP;
  }
}
