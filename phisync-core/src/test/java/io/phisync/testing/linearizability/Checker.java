package io.phisync.testing.linearizability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a history is linearizable against a {@link Model}: Wing &amp; Gong's search for a
 * legal order consistent with real time, with Lowe's memoization of (linearized set, state), on
 * each key's sub-history separately (P-compositionality). Operations that touch at the same instant
 * count as concurrent.
 */
public final class Checker {
  private Checker() {}

  /** Checks the whole history, key by key. */
  public static <S, I, O> Result check(Model<S, I, O> model, List<Operation<I, O>> history) {
    Map<Object, List<Operation<I, O>>> byKey = new LinkedHashMap<>();
    for (Operation<I, O> op : history) {
      byKey.computeIfAbsent(model.key(op.input()), k -> new ArrayList<>()).add(op);
    }
    for (Map.Entry<Object, List<Operation<I, O>>> key : byKey.entrySet()) {
      if (!checkOne(model, key.getValue())) {
        return new Result(
            false,
            key.getKey(),
            history.size(),
            "no linearization of the " + key.getValue().size() + " operations on " + key.getKey());
      }
    }
    return new Result(
        true,
        null,
        history.size(),
        history.size() + " operations on " + byKey.size() + " keys are linearizable");
  }

  /** A call or a return in the time-ordered, doubly linked list the search lifts entries from. */
  private static final class Entry<I, O> {
    final @Nullable Operation<I, O> op;
    final int id;
    final boolean call;
    final long time;
    @Nullable Entry<I, O> match;
    @Nullable Entry<I, O> prev;
    @Nullable Entry<I, O> next;

    Entry(@Nullable Operation<I, O> op, int id, boolean call, long time) {
      this.op = op;
      this.id = id;
      this.call = call;
      this.time = time;
    }
  }

  private record Memo(BitSet linearized, Object state) {}

  private record Frame<S, I, O>(Entry<I, O> entry, S state) {}

  private static <S, I, O> boolean checkOne(Model<S, I, O> model, List<Operation<I, O>> ops) {
    Entry<I, O> head = list(ops);
    BitSet linearized = new BitSet(ops.size());
    Set<Memo> seen = new HashSet<>();
    Deque<Frame<S, I, O>> stack = new ArrayDeque<>();
    S state = model.initial();
    Entry<I, O> entry = head.next;
    while (head.next != null) {
      if (entry == null) {
        throw new IllegalStateException("walked off the history");
      }
      if (entry.call) {
        Operation<I, O> op = java.util.Objects.requireNonNull(entry.op);
        Optional<S> next = model.step(state, op.input(), op.output());
        if (next.isPresent()) {
          BitSet with = (BitSet) linearized.clone();
          with.set(entry.id);
          if (seen.add(new Memo(with, next.get()))) {
            stack.push(new Frame<>(entry, state));
            state = next.get();
            linearized = with;
            lift(entry);
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        // A return reached before its call was linearized: undo the last choice.
        if (stack.isEmpty()) {
          return false;
        }
        Frame<S, I, O> top = stack.pop();
        state = top.state();
        linearized = (BitSet) linearized.clone();
        linearized.clear(top.entry().id);
        unlift(top.entry());
        entry = top.entry().next;
      }
    }
    return true;
  }

  private static <I, O> Entry<I, O> list(List<Operation<I, O>> ops) {
    List<Entry<I, O>> entries = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation<I, O> op = ops.get(i);
      Entry<I, O> call = new Entry<>(op, i, true, op.call());
      Entry<I, O> ret = new Entry<>(null, i, false, op.ret());
      call.match = ret;
      entries.add(call);
      entries.add(ret);
    }
    // By time; at the same instant calls come first, so touching operations are concurrent.
    entries.sort(
        Comparator.<Entry<I, O>>comparingLong(e -> e.time).thenComparing(e -> e.call ? 0 : 1));
    Entry<I, O> head = new Entry<>(null, -1, false, Long.MIN_VALUE);
    Entry<I, O> last = head;
    for (Entry<I, O> e : entries) {
      last.next = e;
      e.prev = last;
      last = e;
    }
    return head;
  }

  private static <I, O> void lift(Entry<I, O> call) {
    Entry<I, O> ret = java.util.Objects.requireNonNull(call.match);
    unlink(call);
    unlink(ret);
  }

  private static <I, O> void unlink(Entry<I, O> e) {
    java.util.Objects.requireNonNull(e.prev).next = e.next;
    if (e.next != null) {
      e.next.prev = e.prev;
    }
  }

  private static <I, O> void unlift(Entry<I, O> call) {
    Entry<I, O> ret = java.util.Objects.requireNonNull(call.match);
    relink(ret);
    relink(call);
  }

  private static <I, O> void relink(Entry<I, O> e) {
    java.util.Objects.requireNonNull(e.prev).next = e;
    if (e.next != null) {
      e.next.prev = e;
    }
  }
}
