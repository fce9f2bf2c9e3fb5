package io.phisync.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.clock.HlcTimestamp;
import io.phisync.crdt.json.CrdtJson;
import io.phisync.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The laws every CRDT obeys, checked on states that three replicas reach through random
 * interleavings of updates and merges. Each subclass says how one type is updated.
 *
 * @param <T> the CRDT
 */
abstract class CrdtLaws<T extends Crdt<T, ?>> {
  static final int REPLICAS = 3;
  static final String[] ARGS = {"a", "b", "c", "d"};

  /** One step of a history: an update at a replica, or a merge of another replica into it. */
  record Op(int replica, int kind, int arg, int source) {}

  abstract CrdtType<T> type();

  /** How many update kinds {@link #update} knows (merges come on top). */
  abstract int updateKinds();

  /** Applies update {@code kind} with argument {@code arg} at {@code node}. */
  abstract T update(T state, String node, int kind, String arg, HlcTimestamp stamp);

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, REPLICAS - 1),
                Arbitraries.integers().between(0, updateKinds()), // == updateKinds(): a merge
                Arbitraries.integers().between(0, ARGS.length - 1),
                Arbitraries.integers().between(0, REPLICAS - 1))
            .as(Op::new);
    return op.list().ofMaxSize(40);
  }

  /** The three replicas' states after {@code history}. */
  List<T> replay(List<Op> history) {
    List<T> states = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      states.add(type().empty());
    }
    for (int step = 0; step < history.size(); step++) {
      Op op = history.get(step);
      T state = states.get(op.replica());
      String node = "n" + op.replica();
      if (op.kind() == updateKinds()) {
        states.set(op.replica(), state.merge(states.get(op.source())));
      } else {
        // Stamps as a hybrid logical clock would give: unique, later steps later.
        HlcTimestamp stamp = new HlcTimestamp(1_000L + step / 3, step % 3, node);
        states.set(op.replica(), update(state, node, op.kind(), ARGS[op.arg()], stamp));
      }
    }
    return states;
  }

  @Property(tries = 1000)
  void merge_isCommutative(@ForAll("histories") List<Op> history) {
    List<T> s = replay(history);
    assertThat(s.get(0).merge(s.get(1))).isEqualTo(s.get(1).merge(s.get(0)));
  }

  @Property(tries = 1000)
  void merge_isAssociative(@ForAll("histories") List<Op> history) {
    List<T> s = replay(history);
    assertThat(s.get(0).merge(s.get(1)).merge(s.get(2)))
        .isEqualTo(s.get(0).merge(s.get(1).merge(s.get(2))));
  }

  @Property(tries = 1000)
  void merge_isIdempotent(@ForAll("histories") List<Op> history) {
    for (T state : replay(history)) {
      assertThat(state.merge(state)).isEqualTo(state);
    }
  }

  @Property(tries = 1000)
  void json_roundTrips_andEqualStatesEncodeToTheSameBytes(@ForAll("histories") List<Op> history) {
    List<T> s = replay(history);
    for (T state : s) {
      String text = CrdtJson.text(state);
      assertThat(CrdtJson.decode(Json.parse(text), type())).isEqualTo(state);
      assertThat(CrdtJson.decode(Json.parse(text))).isEqualTo(state);
    }
    assertThat(CrdtJson.text(s.get(0).merge(s.get(1))))
        .isEqualTo(CrdtJson.text(s.get(1).merge(s.get(0))));
  }

  @Property(tries = 1000)
  void replicas_thatMergeEachOther_converge_inAnyOrder(@ForAll("histories") List<Op> history) {
    List<T> s = replay(history);
    T a = s.get(0);
    T b = s.get(1);
    T c = s.get(2);
    T expected = a.merge(b).merge(c);
    assertThat(List.of(b.merge(c).merge(a), c.merge(a).merge(b), c.merge(b).merge(a)))
        .containsOnly(expected);
    assertThat(expected.merge(a)).isEqualTo(expected); // Nothing a replica knew is lost.
    assertThat(a.merge(expected)).isEqualTo(expected);
    assertThat(CrdtJson.text(c.merge(b.merge(a)))).isEqualTo(CrdtJson.text(expected));
  }
}
