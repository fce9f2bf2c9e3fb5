package io.phisync.spi;

/**
 * A message written for an inbox but not in it yet (see {@link Transport#prepare}): {@link
 * #publish} puts it there, {@link #close} forgets it. Nobody else sees it before it is published.
 * Used by one thread at a time.
 */
public interface PreparedMessage extends AutoCloseable {

  /**
   * Puts the message into the inbox, as {@link Transport#enqueue} would have. At most once.
   *
   * @throws DuplicateMessageException when a message with that id is already in the inbox
   */
  void publish();

  /** Discards the message if it was not published (nothing is left behind); idempotent. */
  @Override
  void close();
}
