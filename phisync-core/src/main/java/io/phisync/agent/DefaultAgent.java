package io.phisync.agent;

import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.DuplicateMessageException;
import io.phisync.spi.LeaseLostException;
import io.phisync.spi.NackOutcome;
import io.phisync.spi.Transport;
import io.phisync.spi.UnknownAgentException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The agent runtime: one dispatcher thread claims messages while fewer than {@code concurrency} are
 * in flight and hands each to a worker; a ticker writes heartbeats and renews leases.
 */
final class DefaultAgent implements Agent {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultAgent.class);

  /**
   * How long one receive waits, and so how long a drain may wait for the dispatcher. The dispatcher
   * is never interrupted: an interrupt closes file channels mid-write.
   */
  private static final Duration RECEIVE_WAIT = Duration.ofMillis(500);

  private final MessageBus bus;
  private final Transport transport;
  private final AgentName name;
  private final Map<String, AgentHandler> handlers;
  private final @Nullable AgentHandler fallback;
  private final List<EventFeed> feeds;
  private final int concurrency;
  private final RetryPolicy retry;
  private final Duration heartbeatInterval;
  private final Duration drainDeadline;
  private final Heartbeat heartbeat;
  private final Responses responses;

  private volatile AgentState state = AgentState.INITIALIZED;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile @Nullable String lastError;

  /** Claims in flight, by message id; the ticker renews them. */
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /** A claim in flight, replaced when its lease is renewed. */
  private static final class Held {
    volatile Claim claim;

    Held(Claim claim) {
      this.claim = claim;
    }
  }

  private final Semaphore permits;
  private final ExecutorService workers;
  private final ScheduledExecutorService ticker;
  private final Thread dispatcher;
  private final CountDownLatch draining = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<AutoCloseable> openFeeds = new ArrayList<>();

  DefaultAgent(Agent.Builder builder) {
    this.bus = builder.bus;
    this.transport = bus.transport();
    this.name = builder.name;
    this.handlers = Map.copyOf(builder.handlers);
    this.fallback = builder.fallback;
    this.feeds = List.copyOf(builder.feeds);
    this.concurrency = builder.concurrency;
    this.retry =
        builder.retryPolicy != null
            ? builder.retryPolicy
            : RetryPolicy.builder().maximumAttempts(bus.options().maxAttempts()).build();
    this.heartbeatInterval = builder.heartbeatInterval;
    this.drainDeadline = builder.drainDeadline;
    Clock clock = builder.clock != null ? builder.clock : bus.options().clock();
    this.heartbeat =
        new Heartbeat(transport, name, Instances.newId(), heartbeatInterval, concurrency, clock);
    this.responses = new Responses(transport, clock);
    this.permits = new Semaphore(concurrency);
    this.workers =
        Executors.newFixedThreadPool(concurrency, Instances.threads("phisync-" + name + "-worker"));
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(Instances.threads("phisync-" + name + "-beat"));
    this.dispatcher = Instances.threads("phisync-" + name + "-dispatch").newThread(this::dispatch);
  }

  @Override
  public AgentName name() {
    return name;
  }

  @Override
  public String instanceId() {
    return heartbeat.instanceId();
  }

  @Override
  public AgentState state() {
    return state;
  }

  @Override
  public AgentStats stats() {
    return new AgentStats(state, inFlight.get(), processed.get(), failed.get(), lastError);
  }

  @Override
  public synchronized void start() {
    if (state != AgentState.INITIALIZED) {
      throw new IllegalStateException("agent " + name + " was started before (" + state() + ")");
    }
    if (!transport.hasAgent(name)) {
      throw new UnknownAgentException(
          "unknown agent '" + name + "'; create it with 'phisync init --agents " + name + "'");
    }
    for (EventFeed feed : feeds) {
      try {
        openFeeds.add(feed.open(name));
      } catch (Exception e) {
        closeFeeds();
        throw new IllegalStateException("agent " + name + " could not open an event feed", e);
      }
    }
    state = AgentState.RUNNING;
    beat();
    long beatMillis = heartbeatInterval.toMillis();
    ticker.scheduleAtFixedRate(this::beat, beatMillis, beatMillis, TimeUnit.MILLISECONDS);
    long renewMillis = Math.max(1, bus.options().lease().toMillis() / 3);
    ticker.scheduleAtFixedRate(this::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    dispatcher.start();
  }

  // ------------------------------------------------------------ dispatching

  private void dispatch() {
    while (state == AgentState.RUNNING) {
      try {
        if (!permits.tryAcquire(RECEIVE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      if (state != AgentState.RUNNING) {
        permits.release();
        return;
      }
      Optional<Claim> claim;
      try {
        claim = bus.receive(name, RECEIVE_WAIT);
      } catch (InterruptedException e) {
        permits.release();
        return;
      } catch (RuntimeException e) {
        permits.release();
        recordError("receiving failed: " + e);
        LOG.warn("agent {} could not receive: {}", name, e.toString());
        if (awaitDrain(Duration.ofSeconds(1))) {
          return;
        }
        continue;
      }
      if (claim.isEmpty()) {
        permits.release();
        continue;
      }
      // A message claimed as the drain began is still handled: it is in flight.
      Claim taken = claim.get();
      inFlight.incrementAndGet();
      held.put(taken.envelope().id(), new Held(taken));
      workers.execute(() -> work(taken));
    }
  }

  private void work(Claim claim) {
    try {
      handle(claim);
    } catch (RuntimeException e) {
      recordError(e.toString());
      LOG.warn(
          "agent {} could not finish message {}: {}", name, claim.envelope().id(), e.toString());
    } finally {
      held.remove(claim.envelope().id());
      inFlight.decrementAndGet();
      permits.release();
    }
  }

  private void handle(Claim claim) {
    Envelope message = claim.envelope();
    String command = message.command().orElse("");
    AgentHandler handler = handlers.getOrDefault(command, fallback);
    if (handler == null) {
      unknownCommand(claim, command);
      return;
    }
    JsonNode result;
    try {
      result = handler.handle(new Delivery(name, message, claim.attempt()));
    } catch (InterruptedException e) {
      // The drain's deadline passed: the claim is left to its lease, and comes back.
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      failed(claim, e);
      return;
    }
    finish(claim, result);
  }

  private void finish(Claim claim, @Nullable JsonNode result) {
    Claim current = current(claim);
    try {
      if (expectsResponse(claim.envelope())) {
        try {
          bus.reply(current, result);
        } catch (DuplicateMessageException e) {
          // Answered before a crash or by an earlier attempt: only the ack was missing.
          bus.ack(current);
        }
      } else {
        bus.ack(current);
      }
      processed.incrementAndGet();
    } catch (LeaseLostException e) {
      recordError(e.getMessage());
    }
  }

  private void unknownCommand(Claim claim, String command) {
    String reason =
        "unknown command '"
            + command
            + "' for agent "
            + name
            + (handlers.isEmpty() ? "" : " (known: " + String.join(", ", sorted()) + ")");
    failed.incrementAndGet();
    recordError(reason);
    Claim current = current(claim);
    try {
      if (expectsResponse(claim.envelope())) {
        try {
          bus.replyError(current, reason);
        } catch (DuplicateMessageException e) {
          bus.ack(current);
        }
      } else {
        transport.deadLetter(current, reason);
      }
    } catch (LeaseLostException e) {
      recordError(e.getMessage());
    }
  }

  private List<String> sorted() {
    return handlers.keySet().stream().sorted().toList();
  }

  private void failed(Claim claim, Exception failure) {
    String reason = Failures.reason(failure);
    failed.incrementAndGet();
    recordError(reason);
    Envelope message = claim.envelope();
    try {
      if (retry.isNonRetryable(failure)) {
        transport.deadLetter(current(claim), "non-retryable failure: " + reason);
        answerFailure(message, "non-retryable failure: " + reason);
        return;
      }
      if (claim.attempt() < retry.maximumAttempts()) {
        awaitDrain(retry.delayBefore(claim.attempt() + 1)); // A drain gives it back at once.
      }
      NackOutcome outcome = transport.nack(current(claim), reason, retry.maximumAttempts());
      if (outcome == NackOutcome.DEAD_LETTERED) {
        answerFailure(
            message,
            "failed "
                + claim.attempt()
                + " of "
                + retry.maximumAttempts()
                + " attempts: "
                + reason);
      }
    } catch (LeaseLostException e) {
      recordError(e.getMessage());
    }
  }

  private void answerFailure(Envelope message, String reason) {
    if (expectsResponse(message)) {
      responses.error(name, message, reason);
    }
  }

  private static boolean expectsResponse(Envelope message) {
    MessageType type = message.type();
    // The codex's requests often carry no type at all.
    return type == null || type == MessageType.REQUEST;
  }

  private Claim current(Claim claim) {
    Held ref = held.get(claim.envelope().id());
    return ref == null ? claim : ref.claim;
  }

  private void recordError(@Nullable String reason) {
    lastError = reason == null ? "unknown failure" : reason;
  }

  // ------------------------------------------------------------- heartbeats

  private void beat() {
    try {
      heartbeat.write(stats());
    } catch (RuntimeException e) {
      LOG.warn("agent {} could not write its heartbeat: {}", name, e.toString());
    }
  }

  private void renewLeases() {
    for (Held ref : held.values()) {
      try {
        ref.claim = bus.renew(ref.claim);
      } catch (LeaseLostException e) {
        LOG.debug("agent {}: {}", name, e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("agent {} could not renew a lease: {}", name, e.toString());
      }
    }
  }

  // --------------------------------------------------------------- stopping

  /** Waits up to {@code max}; true when a drain began. */
  private boolean awaitDrain(Duration max) {
    try {
      return draining.await(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  @Override
  public synchronized boolean drain(Duration deadline) {
    AgentState now = state;
    if (now == AgentState.STOPPED) {
      return true;
    }
    if (now == AgentState.INITIALIZED) {
      state = AgentState.STOPPED;
      shutdownThreads();
      stopped.countDown();
      return true;
    }
    state = AgentState.DRAINING;
    draining.countDown();
    closeFeeds();
    beat();
    boolean finished;
    long end = System.nanoTime() + deadline.toNanos();
    try {
      dispatcher.join(Math.max(1, deadline.toMillis()));
      workers.shutdown();
      finished = workers.awaitTermination(end - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      LOG.warn(
          "agent {}: {} message(s) still in flight after {}; they come back when their leases"
              + " run out",
          name,
          inFlight.get(),
          deadline);
    }
    shutdownThreads();
    state = AgentState.STOPPED;
    try {
      heartbeat.stop(stats());
    } catch (RuntimeException e) {
      LOG.warn("agent {} could not write its final state: {}", name, e.toString());
    }
    stopped.countDown();
    return finished;
  }

  private void shutdownThreads() {
    workers.shutdownNow();
    ticker.shutdownNow();
  }

  private void closeFeeds() {
    for (AutoCloseable feed : openFeeds) {
      try {
        feed.close();
      } catch (Exception e) {
        LOG.warn("agent {} could not close an event feed: {}", name, e.toString());
      }
    }
    openFeeds.clear();
  }

  @Override
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    drain(drainDeadline);
  }
}
