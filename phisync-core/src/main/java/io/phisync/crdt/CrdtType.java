package io.phisync.crdt;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A CRDT type: its wire name (written in replica files) and its empty state. An {@link ORMap} type
 * also names the type of its values.
 *
 * @param <T> the CRDT class
 */
public final class CrdtType<T extends Crdt<T, ?>> {
  public static final CrdtType<GCounter> G_COUNTER =
      new CrdtType<>("g-counter", null, GCounter::empty);
  public static final CrdtType<PNCounter> PN_COUNTER =
      new CrdtType<>("pn-counter", null, PNCounter::empty);
  public static final CrdtType<LWWRegister> LWW_REGISTER =
      new CrdtType<>("lww-register", null, LWWRegister::empty);
  public static final CrdtType<MVRegister> MV_REGISTER =
      new CrdtType<>("mv-register", null, MVRegister::empty);
  public static final CrdtType<ORSet> OR_SET = new CrdtType<>("or-set", null, ORSet::empty);
  public static final CrdtType<Flag> FLAG = new CrdtType<>("flag", null, Flag::empty);
  public static final CrdtType<LWWMap> LWW_MAP = new CrdtType<>("lww-map", null, LWWMap::empty);

  /** The wire name of every OR-Map type. */
  public static final String OR_MAP_NAME = "or-map";

  private static final List<CrdtType<?>> SIMPLE =
      List.of(G_COUNTER, PN_COUNTER, LWW_REGISTER, MV_REGISTER, OR_SET, FLAG, LWW_MAP);

  private final String name;
  private final @Nullable CrdtType<?> values;
  private final Supplier<T> empty;

  private CrdtType(String name, @Nullable CrdtType<?> values, Supplier<T> empty) {
    this.name = name;
    this.values = values;
    this.empty = empty;
  }

  /** The type of an OR-Map whose values are of type {@code values}. */
  public static <V extends Crdt<V, ?>> CrdtType<ORMap<V>> orMap(CrdtType<V> values) {
    return new CrdtType<>(OR_MAP_NAME, values, () -> ORMap.empty(values));
  }

  /**
   * The type with this wire name; {@code values} names an OR-Map's value type.
   *
   * @throws IllegalArgumentException listing the known names when there is no such type
   */
  public static CrdtType<?> named(String name, @Nullable String values) {
    if (OR_MAP_NAME.equals(name)) {
      if (values == null) {
        throw new IllegalArgumentException("an or-map type names the type of its values");
      }
      return orMap(parse(values));
    }
    for (CrdtType<?> type : SIMPLE) {
      if (type.name.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown CRDT type '" + name + "': known types are " + names());
  }

  /**
   * The type that {@link #toString} names, such as {@code pn-counter} or {@code or-map<flag>}.
   *
   * @throws IllegalArgumentException when there is no such type
   */
  public static CrdtType<?> parse(String text) {
    String prefix = OR_MAP_NAME + "<";
    if (text.startsWith(prefix) && text.endsWith(">")) {
      return orMap(parse(text.substring(prefix.length(), text.length() - 1)));
    }
    return named(text, null);
  }

  /** The wire names of the types, for messages and help. */
  public static String names() {
    StringBuilder out = new StringBuilder();
    SIMPLE.forEach(t -> out.append(t.name).append(", "));
    return out.append(OR_MAP_NAME).toString();
  }

  /** The wire name, such as {@code pn-counter}. */
  public String name() {
    return name;
  }

  /** An OR-Map's value type; null for other types. */
  public @Nullable CrdtType<?> values() {
    return values;
  }

  /** The state that has seen no update. */
  public T empty() {
    return empty.get();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CrdtType<?> other
        && name.equals(other.name)
        && Objects.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, values);
  }

  /** The wire name, with an OR-Map's value type: {@code or-map<pn-counter>}. */
  @Override
  public String toString() {
    return values == null ? name : name + "<" + values + ">";
  }
}
