package io.phisync.spi;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.TopicName;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where events live: one totally ordered, append-only log per topic, shared by any number of
 * publishers and readers in any number of processes, plus the subscribers' durable cursors.
 *
 * <p>Sequences are dense, from 1: {@link #append} claims the next free one atomically, so every
 * reader sees the same order. Retention removes events only from the old end of a topic and never
 * its newest, so a topic's retained events are always one contiguous range and sequences are never
 * reused. Implementations are thread-safe and safe across processes.
 */
public interface EventLog {

  /**
   * Appends an event to {@code topic} at the next free sequence and returns it as stored. The event
   * is visible whole or not at all.
   */
  StoredEvent append(TopicName topic, ObjectNode event);

  /**
   * Up to {@code max} events of {@code topic} from sequence {@code from} on, in order and without
   * holes. The first one returned is {@code from} itself unless the events before it were removed
   * by retention (a gap the caller reports). Empty when there is nothing at or after {@code from}.
   */
  List<StoredEvent> read(TopicName topic, long from, int max);

  /** The topics that have a log, in name order. */
  SortedSet<TopicName> topics();

  /** The sequence the next event of {@code topic} will get (1 for a new topic). */
  long nextSequence(TopicName topic);

  /**
   * Moves foreign event files (codex-style, dropped straight into the events directory) into their
   * topics' order, each exactly once; dead-letters the ones that still do not parse after the grace
   * period. Returns how many it ingested.
   */
  int ingestForeign();

  /** The saved cursor of a subscription, if it was ever saved. */
  Optional<SubscriptionCursor> cursor(AgentName subscriber, AgentName name);

  /**
   * Saves a cursor atomically (a reader sees the old or the new one, never a mix).
   *
   * @throws UnknownAgentException when the subscriber is not an agent of this root
   */
  void saveCursor(SubscriptionCursor cursor);

  /** The subscriptions that have a saved cursor, by subscriber and name. */
  List<SubscriptionCursor> cursors();

  /**
   * Wakes a waiter when one of these topics, or the foreign drop directory, may have changed; no
   * topics means every topic (including ones made later).
   */
  Wakeup watch(Collection<TopicName> topics);

  /**
   * Removes, per topic, the oldest events written before {@code cutoff} or beyond the newest {@code
   * maxPerTopic}, but never a topic's newest event. Returns how many it removed.
   */
  int sweep(Instant cutoff, int maxPerTopic);

  /**
   * Whether a retention sweep is due because no process swept this root within {@code interval};
   * when it is, records that one starts now. Two processes may both be told yes: sweeping twice is
   * harmless.
   */
  boolean claimSweep(java.time.Duration interval);

  /** Dead-letters an event a subscriber's handler could not handle, with the reason. */
  DeadLetter deadLetter(AgentName subscriber, StoredEvent event, String reason);
}
