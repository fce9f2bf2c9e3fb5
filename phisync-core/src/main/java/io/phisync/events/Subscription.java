package io.phisync.events;

import io.phisync.protocol.AgentName;

/**
 * A running durable subscription: a thread that delivers events to a handler and advances the
 * cursor after each. Closing it stops delivery; the cursor stays, and the next subscription of the
 * same subscriber and name goes on where this one stopped.
 */
public interface Subscription extends AutoCloseable {

  /** The subscribing agent. */
  AgentName subscriber();

  /** The subscription's name. */
  AgentName name();

  /** How many events the handler has been given so far (filtered-out ones not counted). */
  long delivered();

  /**
   * Blocks until the subscription is closed or the thread is interrupted.
   *
   * @throws InterruptedException when interrupted
   */
  void awaitClosed() throws InterruptedException;

  /** Stops delivering, after the event in hand; waits for that. Idempotent. */
  @Override
  void close();
}
