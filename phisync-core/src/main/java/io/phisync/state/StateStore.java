package io.phisync.state;

import io.phisync.spi.Transport;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Versioned JSON documents by key, with compare-and-set. Keys follow {@link
 * io.phisync.protocol.StateKey#RULE}; the namespace {@code snapshots} is reserved.
 *
 * <p>Every write of a key commits its next revision by an exclusive create, so compare-and-set is
 * linearizable per key: of several writers expecting the same revision, exactly one wins. A write
 * may carry a fencing token (a lock's); the store refuses a write whose token is lower than the
 * highest one already committed for that key. The latest value is also kept as one plain JSON file
 * for simple readers.
 *
 * <pre>{@code
 * StateStore state = phi.state();
 * Versioned v = state.put("config/db", Json.object().put("host", "db1"));
 * CasResult r = state.compareAndSet("config/db", Expect.revision(v.revision()), newValue);
 * }</pre>
 *
 * <p>Implementations are thread-safe and safe across processes.
 */
public interface StateStore {

  /** A state store over a transport's state log. */
  static StateStore over(Transport transport, StateOptions options, Clock clock) {
    return new DefaultStateStore(transport, options, clock);
  }

  /** The latest value of {@code key}; empty when it has none or was deleted. */
  Optional<Versioned> get(String key);

  /** Writes {@code value} whatever is there. Unfenced writes are not checked against tokens. */
  Versioned put(String key, JsonNode value);

  /**
   * Writes {@code value} whatever is there, fenced by {@code fencingToken}.
   *
   * @throws FencedWriteException when a higher token was committed for the key
   */
  Versioned put(String key, JsonNode value, long fencingToken);

  /**
   * Writes {@code value} if {@code expect} holds, optionally fenced.
   *
   * @return committed, a conflict with the current revision, or refused by fencing
   */
  CasResult compareAndSet(String key, Expect expect, JsonNode value, @Nullable Long fencingToken);

  /** As {@link #compareAndSet(String, Expect, JsonNode, Long)} without a fencing token. */
  default CasResult compareAndSet(String key, Expect expect, JsonNode value) {
    return compareAndSet(key, expect, value, null);
  }

  /**
   * Reads, applies {@code update} to the current value ({@code null} when absent) and writes the
   * result by compare-and-set, again until it commits. {@code update} may run more than once.
   */
  Versioned update(String key, UnaryOperator<@Nullable JsonNode> update);

  /**
   * Deletes {@code key} (commits a tombstone revision) if {@code expect} holds and it has a value.
   *
   * @return committed, or a conflict (also when there is no value to delete)
   */
  CasResult delete(String key, Expect expect, @Nullable Long fencingToken);

  /** The keys starting with {@code prefix} that have a value, with their latest revisions. */
  List<Versioned> list(String prefix);

  /** The last {@code limit} kept revisions of {@code key}, tombstones included, oldest first. */
  List<Versioned> history(String key, int limit);

  /** Watches {@code key} for revisions after its current one. */
  StateWatch watch(String key);

  /** Watches {@code key} for revisions after {@code afterRevision}. */
  StateWatch watch(String key, long afterRevision);
}
