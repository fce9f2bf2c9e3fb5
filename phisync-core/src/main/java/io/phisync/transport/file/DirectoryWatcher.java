package io.phisync.transport.file;

import io.phisync.spi.Wakeup;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OS watch for all the directories a transport waits on. Opening an OS watch costs about a
 * millisecond and a thread; waiting on a directory here costs neither, so a request/response round
 * trip does not pay it twice.
 *
 * <p>No thread of its own: one of the threads waiting at the moment (the leader) takes the OS's
 * events and counts them for every directory, then wakes the others, one of which leads next. A
 * waiter is so woken straight from the JDK's watch thread, not through a relay thread, which saves
 * a thread switch on every wake-up. While nobody waits, events queue in the OS watch and are
 * counted by the next waiter.
 *
 * <p>A {@link Wakeup} remembers its directory's count when it was made, so an event that comes
 * between making it and waiting on it is not missed. Events are only hints: waiters re-list, and
 * every wait ends after the rescan interval at the latest.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final WatchService service;
  private final Duration rescan;

  // Guarded by this.
  private final Map<Path, Signal> signals = new HashMap<>();
  private final Map<WatchKey, Signal> byKey = new HashMap<>();
  private boolean leading;
  private boolean closed;

  DirectoryWatcher(Path root, Duration rescan) throws IOException {
    this.service = root.getFileSystem().newWatchService();
    this.rescan = rescan;
  }

  /** A wake-up for changes in {@code dir}. */
  synchronized Wakeup watch(Path dir) throws IOException {
    return new View(signalFor(dir), false, () -> {});
  }

  /**
   * A wake-up for files that appear (or are written in place) in {@code dir}, not for files that
   * leave it: what a consumer waits for in an inbox, where every claim removes a file.
   */
  synchronized Wakeup watchArrivals(Path dir) throws IOException {
    return new View(signalFor(dir), true, () -> {});
  }

  /** One wake-up for changes in any of {@code dirs}; closing it stops the relaying. */
  synchronized Wakeup watchAll(Collection<Path> dirs) throws IOException {
    Signal relay = new Signal();
    List<Signal> sources = new ArrayList<>();
    for (Path dir : dirs) {
      Signal source = signalFor(dir);
      source.relays.add(relay);
      sources.add(source);
    }
    return new View(
        relay,
        false,
        () -> {
          synchronized (this) {
            sources.forEach(s -> s.relays.remove(relay));
          }
        });
  }

  private Signal signalFor(Path dir) throws IOException {
    Signal signal = signals.get(dir);
    if (signal == null) {
      WatchKey key =
          dir.register(
              service,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
      signal = byKey.computeIfAbsent(key, k -> new Signal());
      signals.put(dir, signal);
    }
    return signal;
  }

  /**
   * Waits until {@code signal}'s count is no longer {@code seen} or {@code millis} have passed, and
   * returns the count. Leads (takes the OS's events) when no other waiter does.
   */
  private long awaitChange(Signal signal, boolean arrivalsOnly, long seen, long millis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      long left;
      synchronized (this) {
        while (true) {
          long count = signal.count(arrivalsOnly);
          left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (count != seen || left <= 0) {
            return count;
          }
          if (!leading && !closed) {
            leading = true;
            break;
          }
          wait(left); // Closed: the rescan interval is all that is left.
        }
      }
      lead(left);
    }
  }

  /** Takes the OS's events for up to {@code millis}, counts them, and wakes every waiter. */
  private void lead(long millis) throws InterruptedException {
    @Nullable WatchKey key = null;
    try {
      key = service.poll(millis, TimeUnit.MILLISECONDS);
    } catch (ClosedWatchServiceException e) {
      // Closed meanwhile: waiters fall back to their rescan interval.
    } finally {
      synchronized (this) {
        leading = false;
        try {
          // Every key that is ready now, so the waiters woken see all there is.
          for (@Nullable WatchKey ready = key; ready != null && !closed; ready = service.poll()) {
            count(ready);
          }
        } catch (ClosedWatchServiceException e) {
          // As above.
        }
        notifyAll();
      }
    }
  }

  /** Counts one key's events on its directory's signal. Called holding this. */
  private void count(WatchKey key) {
    boolean news = false;
    boolean arrival = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (isNews(event)) {
        news = true;
        arrival |= event.kind() != StandardWatchEventKinds.ENTRY_DELETE;
      }
    }
    boolean valid = key.reset();
    Signal signal = byKey.get(key);
    if (!valid) {
      byKey.remove(key);
      signals.values().remove(signal);
    }
    if (signal != null && (news || !valid)) {
      signal.fire(arrival || !valid);
    }
  }

  /**
   * Whether an event can matter to a waiter. A writer's temp file (created, written, linked to its
   * final name, removed) makes four events of which only the final name's is news: waking on the
   * others would make every waiter list its directory before the message is there.
   */
  private static boolean isNews(WatchEvent<?> event) {
    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
      LOG.debug("watch overflow; every waiter rescans");
      return true;
    }
    return !(event.context() instanceof Path name && AtomicFiles.isTemp(name.toString()));
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      byKey.values().forEach(signal -> signal.fire(true));
      notifyAll();
    }
    try {
      service.close();
    } catch (IOException e) {
      LOG.debug("closing the watch service: {}", e.toString());
    }
  }

  /**
   * Counters of a directory's changes, read and written holding the watcher: of every change, and
   * of arrivals only (a file created, renamed in or written; not one removed or renamed away).
   */
  private static final class Signal {
    private long count;
    private long arrivals;

    /** Signals that fire whenever this one does (a wake-up over several directories). */
    final List<Signal> relays = new ArrayList<>();

    void fire(boolean arrival) {
      count++;
      if (arrival) {
        arrivals++;
      }
      relays.forEach(relay -> relay.fire(arrival));
    }

    long count(boolean arrivalsOnly) {
      return arrivalsOnly ? arrivals : count;
    }
  }

  /** One waiter's view of a signal. */
  private final class View implements Wakeup {
    private final Signal signal;
    private final boolean arrivalsOnly;
    private final Runnable onClose;
    private long seen;

    View(Signal signal, boolean arrivalsOnly, Runnable onClose) {
      this.signal = signal;
      this.arrivalsOnly = arrivalsOnly;
      this.onClose = onClose;
      synchronized (DirectoryWatcher.this) {
        this.seen = signal.count(arrivalsOnly);
      }
    }

    @Override
    public void await(Duration max) throws InterruptedException {
      long wait = Math.max(0, Math.min(max.toMillis(), rescan.toMillis()));
      seen = awaitChange(signal, arrivalsOnly, seen, wait);
    }

    @Override
    public void reset() {}

    @Override
    public void close() {
      onClose.run();
    }
  }
}
