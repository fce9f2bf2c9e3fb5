package io.phisync.events;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.TopicName;
import io.phisync.spi.EventLog;
import io.phisync.spi.StoredEvent;
import io.phisync.spi.SubscriptionCursor;
import io.phisync.spi.Wakeup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** {@link Events} over an {@link EventLog}. */
final class DefaultEvents implements Events {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultEvents.class);
  private static final int BATCH = 256;
  private static final int MAX_ATTEMPTS = 3;
  private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
  private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(10);

  private final EventLog log;
  private final Clock clock;
  private final RetentionPolicy retention;
  private final AtomicReference<@Nullable Instant> lastSweep = new AtomicReference<>();

  DefaultEvents(EventLog log, Clock clock, RetentionPolicy retention) {
    this.log = log;
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  public Event publish(
      TopicName topic,
      AgentName publisher,
      String eventType,
      Severity severity,
      @Nullable JsonNode data) {
    Event draft =
        new Event(
            MessageId.next().value(),
            OffsetDateTime.now(clock),
            eventType,
            publisher.value(),
            severity.wireName(),
            data,
            topic,
            0,
            java.util.Map.of());
    StoredEvent stored = log.append(topic, draft.toJson());
    sweepIfDue();
    return Event.of(stored);
  }

  @Override
  public Subscription subscribe(
      AgentName subscriber, AgentName name, EventFilter filter, EventHandler handler) {
    // Fails here, in the caller, when the subscriber is not an agent.
    log.saveCursor(cursor(subscriber, name, filter));
    Worker worker = new Worker(subscriber, name, filter, handler);
    worker.thread.start();
    return worker;
  }

  @Override
  public int catchUp(
      AgentName subscriber, AgentName name, EventFilter filter, EventHandler handler) {
    return deliver(subscriber, name, filter, handler, () -> false);
  }

  private SubscriptionCursor cursor(AgentName subscriber, AgentName name, EventFilter filter) {
    return log.cursor(subscriber, name)
        .orElseGet(() -> SubscriptionCursor.start(subscriber, name, OffsetDateTime.now(clock)))
        .withFilter(filter.toJson());
  }

  /** Delivers everything there is now; returns how many events the handler got. */
  private int deliver(
      AgentName subscriber,
      AgentName name,
      EventFilter filter,
      EventHandler handler,
      BooleanSupplier stopped) {
    log.ingestForeign();
    sweepIfDue();
    SubscriptionCursor cursor = cursor(subscriber, name, filter);
    int delivered = 0;
    boolean progress = true;
    while (progress && !stopped.getAsBoolean()) {
      progress = false;
      for (TopicName topic : filter.topics().isEmpty() ? log.topics() : filter.topics()) {
        long next = cursor.next(topic);
        List<StoredEvent> batch = log.read(topic, next, BATCH);
        if (batch.isEmpty()) {
          continue;
        }
        progress = true;
        long first = batch.get(0).sequence();
        if (next > 0 && first > next) {
          LOG.warn(
              "{}/{} missed events {}..{} of topic {}: removed by retention",
              subscriber,
              name,
              next,
              first - 1,
              topic);
          handler.onGap(topic, next, first - 1);
        }
        for (StoredEvent stored : batch) {
          if (stopped.getAsBoolean()) {
            return delivered;
          }
          Boolean handled = handle(subscriber, stored, filter, handler, stopped);
          if (handled == null) {
            return delivered; // Stopped while the handler failed: it comes again next time.
          }
          cursor = cursor.with(topic, stored.sequence() + 1, OffsetDateTime.now(clock));
          if (handled) {
            delivered++;
            log.saveCursor(cursor); // After the handler: at-least-once.
          }
        }
        log.saveCursor(cursor);
      }
    }
    return delivered;
  }

  /** True when handled, false when filtered out or dead-lettered, null when stopped mid-retry. */
  private @Nullable Boolean handle(
      AgentName subscriber,
      StoredEvent stored,
      EventFilter filter,
      EventHandler handler,
      BooleanSupplier stopped) {
    Event event;
    try {
      event = Event.of(stored);
    } catch (RuntimeException e) {
      log.deadLetter(subscriber, stored, "unreadable event: " + e.getMessage());
      return false;
    }
    if (!filter.matches(event)) {
      return false;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        handler.handle(event);
        return true;
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (stopped.getAsBoolean() || Thread.currentThread().isInterrupted()) {
          return null;
        }
        if (attempt >= MAX_ATTEMPTS) {
          log.deadLetter(
              subscriber,
              stored,
              "event handler failed "
                  + attempt
                  + " times: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage());
          return false;
        }
        LOG.debug("handler of {} failed (attempt {}): {}", event.id(), attempt, e.toString());
      }
    }
  }

  @Override
  public List<Event> list(EventFilter filter, @Nullable OffsetDateTime since, int limit) {
    List<Event> out = new ArrayList<>();
    for (TopicName topic : filter.topics().isEmpty() ? log.topics() : filter.topics()) {
      long next = 1;
      while (true) {
        List<StoredEvent> batch = log.read(topic, next, BATCH);
        if (batch.isEmpty()) {
          break;
        }
        for (StoredEvent stored : batch) {
          try {
            Event event = Event.of(stored);
            if (filter.matches(event) && (since == null || !event.timestamp().isBefore(since))) {
              out.add(event);
            }
          } catch (RuntimeException e) {
            LOG.debug("not listing {}#{}: {}", topic, stored.sequence(), e.toString());
          }
        }
        next = batch.get(batch.size() - 1).sequence() + 1;
      }
    }
    out.sort(
        Comparator.comparing((Event e) -> e.timestamp().toInstant())
            .thenComparing(Event::topic)
            .thenComparingLong(Event::sequence));
    return out.size() <= limit ? out : List.copyOf(out.subList(out.size() - limit, out.size()));
  }

  @Override
  public int sweep() {
    lastSweep.set(clock.instant());
    return log.sweep(clock.instant().minus(retention.maxAge()), retention.maxPerTopic());
  }

  private void sweepIfDue() {
    Instant now = clock.instant();
    Instant last = lastSweep.get();
    if ((last == null || !now.isBefore(last.plus(SWEEP_INTERVAL)))
        && lastSweep.compareAndSet(last, now)
        && log.claimSweep(SWEEP_INTERVAL)) { // Not every short-lived CLI process sweeps.
      try {
        log.sweep(now.minus(retention.maxAge()), retention.maxPerTopic());
      } catch (RuntimeException e) {
        LOG.warn("event retention sweep failed: {}", e.toString());
      }
    }
  }

  @Override
  public RetentionPolicy retention() {
    return retention;
  }

  /** One subscription's thread. */
  private final class Worker implements Subscription {
    private final AgentName subscriber;
    private final AgentName name;
    private final Thread thread;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object lock = new Object();
    private boolean waiting;

    Worker(AgentName subscriber, AgentName name, EventFilter filter, EventHandler handler) {
      this.subscriber = subscriber;
      this.name = name;
      EventHandler counting =
          new EventHandler() {
            @Override
            public void handle(Event event) throws Exception {
              handler.handle(event);
              delivered.incrementAndGet();
            }

            @Override
            public void onGap(TopicName topic, long first, long last) {
              handler.onGap(topic, first, last);
            }
          };
      this.thread =
          new Thread(() -> run(filter, counting), "phisync-events " + subscriber + "/" + name);
      thread.setDaemon(true);
    }

    private void run(EventFilter filter, EventHandler handler) {
      Wakeup wakeup = null;
      Set<TopicName> watched = Set.of();
      try {
        while (!stopped.get()) {
          Set<TopicName> topics = filter.topics().isEmpty() ? log.topics() : filter.topics();
          if (wakeup == null || !topics.equals(watched)) {
            if (wakeup != null) {
              wakeup.close();
            }
            wakeup = log.watch(filter.topics());
            watched = topics;
          }
          if (deliver(subscriber, name, filter, handler, stopped::get) == 0) {
            idle(wakeup);
          }
        }
      } catch (InterruptedException e) {
        // Closed.
      } catch (RuntimeException e) {
        LOG.error("subscription {}/{} stopped: {}", subscriber, name, e.toString(), e);
      } finally {
        if (wakeup != null) {
          wakeup.close();
        }
        closed.countDown();
      }
    }

    /** Waits for a change; only here may close() interrupt, never in the middle of file I/O. */
    private void idle(Wakeup wakeup) throws InterruptedException {
      synchronized (lock) {
        if (stopped.get()) {
          return;
        }
        waiting = true;
      }
      try {
        wakeup.await(IDLE_WAIT);
      } finally {
        synchronized (lock) {
          waiting = false;
          if (Thread.interrupted() && !stopped.get()) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    @Override
    public AgentName subscriber() {
      return subscriber;
    }

    @Override
    public AgentName name() {
      return name;
    }

    @Override
    public long delivered() {
      return delivered.get();
    }

    @Override
    public void awaitClosed() throws InterruptedException {
      closed.await();
    }

    @Override
    public void close() {
      synchronized (lock) {
        stopped.set(true);
        if (waiting) {
          thread.interrupt();
        }
      }
      if (Thread.currentThread() != thread) {
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
