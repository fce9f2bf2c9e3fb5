package io.phisync.bus;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.MessageId;
import io.phisync.spi.Claim;
import io.phisync.spi.DeadLetterStore;
import io.phisync.spi.NackOutcome;
import io.phisync.spi.Transport;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Messages between agents: requests, responses and notifications, delivered at least once with
 * leases, attempt counting, dead letters, deduplication by id and expiry.
 *
 * <p>A handler runs once per message id in normal operation: an acknowledged id is remembered, and
 * a later copy of it is acknowledged without being delivered. If a consumer dies after its
 * handler's effect but before {@link #ack}, the message is delivered again when the lease runs out;
 * handlers whose effects must not repeat make them idempotent by the message id.
 *
 * <p>Implementations are thread-safe.
 */
public interface MessageBus extends AutoCloseable {

  /** A bus over {@code transport}. */
  static MessageBus over(Transport transport, BusOptions options) {
    return new DefaultMessageBus(transport, options);
  }

  /** The options this bus delivers with. */
  BusOptions options();

  /**
   * Sends a request: {@code payload} (a JSON object, or null) gets {@code command} and goes to
   * {@code to}'s inbox. With a deadline, the request expires then and is dead-lettered, not
   * delivered, if nobody took it in time.
   *
   * @throws io.phisync.spi.UnknownAgentException when {@code to} does not exist
   * @throws IllegalArgumentException when the payload is not a JSON object
   */
  Envelope sendRequest(
      AgentName from,
      AgentName to,
      String command,
      @Nullable JsonNode payload,
      @Nullable Duration deadline);

  /** Sends a notification, fire-and-forget: no response is expected. */
  Envelope notify(AgentName from, AgentName to, String command, @Nullable JsonNode payload);

  /** Sends a prepared envelope; {@code to} must be set and known. */
  Envelope send(Envelope message);

  /**
   * Sends a request and waits for its response.
   *
   * @throws RequestTimeoutException when no response came within {@code timeout}
   * @throws InterruptedException when interrupted while waiting
   */
  Envelope call(
      AgentName from, AgentName to, String command, @Nullable JsonNode payload, Duration timeout)
      throws InterruptedException;

  /**
   * Waits up to {@code wait} for the response to {@code request} and takes it.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  Optional<Envelope> awaitResponse(Envelope request, Duration wait) throws InterruptedException;

  /**
   * Claims the next message of {@code agent}, waiting up to {@code wait} for one. Copies of
   * messages already processed are acknowledged on the way; expired ones are dead-lettered.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  Optional<Claim> receive(AgentName agent, Duration wait) throws InterruptedException;

  /**
   * Claims up to {@code max} messages of {@code agent}: waits up to {@code wait} for the first, as
   * {@link #receive} does, then takes those already waiting without waiting more. Empty when none
   * came. With {@link #ackAll}, the way to drain an inbox fast in durable mode.
   *
   * @throws IllegalArgumentException when {@code max} is less than 1
   * @throws InterruptedException when interrupted while waiting
   */
  List<Claim> receiveBatch(AgentName agent, int max, Duration wait) throws InterruptedException;

  /** A current claim of {@code agent} by message id, made by any process. */
  Optional<Claim> findClaim(AgentName agent, MessageId id);

  /** Extends the lease of a claim. */
  Claim renew(Claim claim);

  /** Marks a claimed message done. */
  void ack(Claim claim);

  /**
   * Marks several claimed messages done with one group commit: in durable mode they reach the disk
   * together, at about the cost of one {@link #ack}. A consumer that takes what is waiting in its
   * inbox and acknowledges it as a batch keeps up with more producers. Those that can be
   * acknowledged are, even when one cannot.
   *
   * @throws io.phisync.spi.LeaseLostException when a claim is no longer held, after the others are
   *     acknowledged
   */
  void ackAll(Collection<Claim> claims);

  /** Gives a claimed message back; it is delivered again or, at its last attempt, dead-lettered. */
  NackOutcome nack(Claim claim, String reason);

  /** Writes the response to a claimed request and acknowledges it. Returns the response. */
  Envelope reply(Claim request, @Nullable JsonNode payload);

  /** Writes an error response ({@code payload.error}) and acknowledges the request. */
  Envelope replyError(Claim request, String error);

  /** The dead letters. */
  DeadLetterStore deadLetters();

  /** The transport underneath. */
  Transport transport();

  @Override
  void close();
}
