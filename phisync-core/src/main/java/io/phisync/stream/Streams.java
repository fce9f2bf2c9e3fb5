package io.phisync.stream;

import io.phisync.spi.Snapshot;
import io.phisync.spi.Transport;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Event-sourced streams. Stream names follow {@link io.phisync.protocol.StateKey#RULE}.
 *
 * <p>An append names the version it expects the stream to be at; of several writers expecting the
 * same version exactly one succeeds, so versions are contiguous and never duplicated. A batch is
 * appended whole or not at all.
 *
 * <pre>{@code
 * long v = phi.streams().append("orders", List.of(new NewEvent("placed", data)), Streams.NO_STREAM);
 * Rebuilt<Totals> totals = phi.streams().rebuild("orders", projection);
 * }</pre>
 *
 * <p>Implementations are thread-safe and safe across processes.
 */
public interface Streams {
  /** Expect the stream to have no events. */
  long NO_STREAM = 0;

  /** Expect nothing: append at whatever version the stream is. */
  long ANY = -1;

  /** Streams over a transport's stream log and snapshots. */
  static Streams over(Transport transport, StreamOptions options, Clock clock) {
    return new DefaultStreams(transport, options, clock);
  }

  /**
   * Appends {@code events} if the stream is at {@code expectedVersion} ({@link #ANY}: whatever it
   * is), and returns the stream's new version.
   *
   * @throws WrongExpectedVersionException naming the actual version when it is another
   */
  long append(String stream, List<NewEvent> events, long expectedVersion);

  /** The stream's version: its last event's, 0 when it has none. */
  long version(String stream);

  /** Up to {@code max} events from version {@code fromVersion} on, in order. */
  List<StreamEvent> read(String stream, long fromVersion, int max);

  /**
   * Folds the stream: the latest snapshot plus the events after it. Stores a new snapshot when the
   * options say so.
   */
  <S> Rebuilt<S> rebuild(String stream, Projection<S> projection);

  /** Stores a snapshot of {@code stream} at {@code version}. */
  void snapshot(String stream, long version, JsonNode state);

  /** The latest snapshot of {@code stream}, if any. */
  Optional<Snapshot> latestSnapshot(String stream);

  /** The streams that have events, by name. */
  List<String> names();
}
