package io.phisync.spi;

import io.phisync.protocol.MessageId;
import java.util.List;
import java.util.Optional;

/** The dead-letter queue: list, inspect, replay and purge. */
public interface DeadLetterStore {

  /** All current dead letters, oldest first. */
  List<DeadLetter> list();

  /** One dead letter by its entry id. */
  Optional<DeadLetter> get(String entryId);

  /**
   * Puts the original message back into its agent's inbox with a fresh attempt count and moves the
   * entry to the archive. Returns the replayed message's id.
   *
   * @throws IllegalArgumentException when there is no such entry, or its original is not a readable
   *     message (which the message says)
   */
  MessageId replay(String entryId);

  /** Deletes one dead letter; returns whether it existed. */
  boolean purge(String entryId);

  /** Deletes every dead letter; returns how many. */
  int purgeAll();
}
