package io.phisync.spi;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.MessageId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Where messages live: the storage semantics that the bus is built on. Every transport passes the
 * same contract test suite; the file transport is the first, a PostgreSQL one may follow.
 *
 * <p>Delivery is at-least-once. Of several consumers calling {@link #claim} on one inbox, exactly
 * one gets each message; a claim carries a lease, and a claim whose lease ran out comes back
 * through {@link #recoverExpired}. Implementations are thread-safe and safe across processes.
 */
public interface Transport extends AutoCloseable {

  /** A one-line description for operators, such as where the files are and the write mode. */
  String describe();

  /**
   * How this transport writes: {@link Durability#DURABLE} when a write returns only once it is on
   * stable storage. The default says so.
   */
  default Durability durability() {
    return Durability.DURABLE;
  }

  /** Creates what the given agents need, keeping whatever exists. Idempotent. */
  void initialize(Collection<AgentName> agents);

  /** The agents this transport knows, in name order. */
  SortedSet<AgentName> agents();

  /** Whether {@code agent} exists. */
  boolean hasAgent(AgentName agent);

  /**
   * Puts a message into {@code to}'s inbox. Never replaces an existing message.
   *
   * @throws UnknownAgentException when {@code to} does not exist
   * @throws DuplicateMessageException when a message with that id is already in the inbox
   */
  void enqueue(AgentName to, Envelope message);

  /**
   * Writes a message for {@code to}'s inbox without putting it there yet; {@link
   * PreparedMessage#publish} then does. For a sender that keeps its own durable record of the
   * message and sends it again when it is nowhere to be found — a workflow engine, whose journal
   * entry says what it sends — and must make that record durable before the message may appear: it
   * writes both at once. Unlike {@link #enqueue}, a published message may be lost in a crash of the
   * machine even when this transport forces its writes (the message is forced, its place in the
   * inbox is not); it is never seen partly written. The default writes nothing ahead: publishing
   * enqueues.
   *
   * @throws UnknownAgentException when {@code to} does not exist
   */
  default PreparedMessage prepare(AgentName to, Envelope message) {
    if (!hasAgent(to)) {
      throw new UnknownAgentException("unknown agent '" + to + "'");
    }
    return new PreparedMessage() {
      private boolean used;

      @Override
      public void publish() {
        if (used) {
          throw new IllegalStateException("already published or discarded: " + message.id());
        }
        used = true;
        enqueue(to, message);
      }

      @Override
      public void close() {
        used = true;
      }
    };
  }

  /**
   * Claims the next message of {@code agent}'s inbox, or returns empty when there is none now.
   * Malformed files found on the way are dead-lettered once their grace period has passed.
   */
  Optional<Claim> claim(AgentName agent, String consumer, Duration lease);

  /** Finds a current claim of {@code agent} by message id, for a consumer in another process. */
  Optional<Claim> findClaim(AgentName agent, MessageId id);

  /**
   * Extends a claim's lease.
   *
   * @throws LeaseLostException when the claim is no longer held
   */
  Claim renew(Claim claim, Duration lease);

  /**
   * Marks a claimed message done: it moves to the processed messages and its id is recorded for
   * deduplication.
   *
   * @throws LeaseLostException when the claim is no longer held
   */
  void ack(Claim claim);

  /**
   * Acknowledges several claims at once, as {@link #ack} does each: a transport may make them
   * durable together (one group commit) rather than one by one. The claims that can be acknowledged
   * are, even when one cannot.
   *
   * @throws LeaseLostException when a claim is no longer held, after the others are acknowledged
   */
  default void ackAll(Collection<Claim> claims) {
    RuntimeException failure = null;
    for (Claim claim : claims) {
      try {
        ack(claim);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Gives a claimed message back after a failure. It is delivered again, or dead-lettered when this
   * was attempt {@code maxAttempts}.
   *
   * @throws LeaseLostException when the claim is no longer held
   */
  NackOutcome nack(Claim claim, String reason, int maxAttempts);

  /**
   * Dead-letters a claimed message at once, whatever its attempt count.
   *
   * @throws LeaseLostException when the claim is no longer held
   */
  DeadLetter deadLetter(Claim claim, String reason);

  /**
   * Returns messages whose claims' leases have run out to the inbox, or to the dead letters after
   * {@code maxAttempts}. Returns how many it moved.
   */
  int recoverExpired(AgentName agent, int maxAttempts);

  /** Whether a message with this id was acknowledged by {@code agent} within the retention. */
  boolean isProcessed(AgentName agent, MessageId id);

  /**
   * Writes a response to a request into {@code responder}'s outbox ({@code resp-<requestId>}).
   *
   * @throws DuplicateMessageException when a response to that request is already there
   */
  void respond(AgentName responder, Envelope response);

  /** Takes the response to {@code requestId} from {@code responder}'s outbox, if it is there. */
  Optional<Envelope> takeResponse(AgentName responder, MessageId requestId);

  /**
   * Takes the response to {@code requestId} from {@code responder}'s outbox without reading it: for
   * a requester that has read it already ({@link #peekResponse}) and only clears it away. False
   * when it is not there (or another requester took it). The default takes it.
   */
  default boolean removeResponse(AgentName responder, MessageId requestId) {
    return takeResponse(responder, requestId).isPresent();
  }

  /**
   * Reads the response to {@code requestId} from {@code responder}'s outbox without taking it, or,
   * when it was taken (today or yesterday) or swept as expired, from where those are kept. A
   * workflow engine journals what a response says before it takes it, so a crash in between loses
   * nothing.
   *
   * @throws UnsupportedOperationException when this transport cannot look a response up
   */
  default Optional<Envelope> peekResponse(AgentName responder, MessageId requestId) {
    throw new UnsupportedOperationException(describe() + " cannot look responses up");
  }

  /**
   * Of {@code requestIds}, those whose response waits in {@code responder}'s outbox, not yet taken:
   * one look for them all, for a requester waiting on many at once (a workflow engine's fan-out).
   * The default asks {@link #peekResponse} for each, so it also finds taken ones.
   */
  default java.util.Set<MessageId> respondedAmong(
      AgentName responder, Collection<MessageId> requestIds) {
    java.util.Set<MessageId> out = new java.util.HashSet<>();
    for (MessageId id : requestIds) {
      if (peekResponse(responder, id).isPresent()) {
        out.add(id);
      }
    }
    return out;
  }

  /**
   * Of {@code ids}, the messages to {@code agent} a consumer holds claimed right now: one look for
   * them all. The default asks {@link #findClaim} for each.
   */
  default java.util.Set<MessageId> claimedAmong(AgentName agent, Collection<MessageId> ids) {
    java.util.Set<MessageId> out = new java.util.HashSet<>();
    for (MessageId id : ids) {
      if (findClaim(agent, id).isPresent()) {
        out.add(id);
      }
    }
    return out;
  }

  /**
   * Moves {@code responder}'s responses that nobody waits for any more (their {@code expiresAt} has
   * passed) out of its outbox; returns how many.
   */
  int sweepResponses(AgentName responder);

  /** Wakes a waiter when {@code agent}'s inbox may have changed. */
  Wakeup watchInbox(AgentName agent);

  /** Wakes a waiter when {@code agent}'s outbox may have changed. */
  Wakeup watchOutbox(AgentName agent);

  /**
   * One wake-up for files that arrive in any of these agents' outboxes and any of these keys of the
   * {@code kind} log: what a workflow engine waits on (its agents' responses, its own and its
   * children's journals). Files that leave (a response the engine took) need wake nobody. The
   * default watches nothing and wakes only at the deadline.
   */
  default Wakeup watchAll(
      Collection<AgentName> outboxes, LogKind kind, Collection<io.phisync.protocol.StateKey> keys) {
    return new Wakeup() {
      @Override
      public void await(Duration max) throws InterruptedException {
        Thread.sleep(Math.max(1, max.toMillis()));
      }

      @Override
      public void reset() {}

      @Override
      public void close() {}
    };
  }

  /** The messages waiting in {@code agent}'s inbox, oldest first. */
  List<Envelope> pending(AgentName agent);

  /** Counts of {@code agent}'s inbox. */
  InboxStats stats(AgentName agent);

  /** The dead letters. */
  DeadLetterStore deadLetters();

  /** Every stored message that has this id, correlation id or causation id, oldest first. */
  List<TraceEntry> trace(String id);

  /** Where running agents record their instances and status. */
  AgentRegistry agentRegistry();

  /** The agent's own status record, if it wrote one. */
  Optional<AgentRecord> agentRecord(AgentName agent);

  /** The event logs and subscription cursors (pub/sub). */
  EventLog events();

  /**
   * The revision log of one kind (state, locks, streams).
   *
   * @throws UnsupportedOperationException when this transport keeps no such log
   */
  default RevisionLog log(LogKind kind) {
    throw new UnsupportedOperationException(describe() + " keeps no " + kind + " log");
  }

  /**
   * The stream snapshots.
   *
   * @throws UnsupportedOperationException when this transport keeps none
   */
  default SnapshotStore snapshots() {
    throw new UnsupportedOperationException(describe() + " keeps no snapshots");
  }

  /**
   * The CRDT replicas kept beside the messages.
   *
   * @throws UnsupportedOperationException when this transport keeps none
   */
  default ReplicaStore replicas() {
    throw new UnsupportedOperationException(describe() + " keeps no CRDT replicas");
  }

  /**
   * The approval requests and decisions.
   *
   * @throws UnsupportedOperationException when this transport keeps none
   */
  default ApprovalStore approvals() {
    throw new UnsupportedOperationException(describe() + " keeps no approvals");
  }

  @Override
  void close();
}
