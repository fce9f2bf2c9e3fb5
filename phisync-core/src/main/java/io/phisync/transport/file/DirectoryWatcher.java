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
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OS watch for all the directories a transport waits on, and one thread that turns its events
 * into signals. Opening an OS watch costs about a millisecond and a thread; waiting on a directory
 * here costs neither, so a request/response round trip does not pay it twice.
 *
 * <p>A {@link Wakeup} remembers the signal's count when it was made, so an event that comes between
 * making it and waiting on it is not missed. Events are only hints: waiters re-list, and every wait
 * ends after the rescan interval at the latest.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final WatchService service;
  private final Duration rescan;
  private final Map<Path, Signal> signals = new HashMap<>();
  private final Map<WatchKey, Signal> byKey = new HashMap<>();
  private final Thread pump;

  DirectoryWatcher(Path root, Duration rescan) throws IOException {
    this.service = root.getFileSystem().newWatchService();
    this.rescan = rescan;
    this.pump = new Thread(this::pump, "phisync-watch " + root.getFileName());
    pump.setDaemon(true);
    pump.start();
  }

  /** A wake-up for changes in {@code dir}. */
  synchronized Wakeup watch(Path dir) throws IOException {
    return new View(signalFor(dir), false, rescan, () -> {});
  }

  /**
   * A wake-up for files that appear (or are written in place) in {@code dir}, not for files that
   * leave it: what a consumer waits for in an inbox, where every claim removes a file.
   */
  synchronized Wakeup watchArrivals(Path dir) throws IOException {
    return new View(signalFor(dir), true, rescan, () -> {});
  }

  /** One wake-up for changes in any of {@code dirs}; closing it stops the relaying. */
  synchronized Wakeup watchAll(java.util.Collection<Path> dirs) throws IOException {
    Signal relay = new Signal();
    java.util.List<Signal> sources = new java.util.ArrayList<>();
    for (Path dir : dirs) {
      Signal source = signalFor(dir);
      source.relays.add(relay);
      sources.add(source);
    }
    return new View(relay, false, rescan, () -> sources.forEach(s -> s.relays.remove(relay)));
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

  private void pump() {
    try {
      while (true) {
        WatchKey key = service.take();
        boolean news = false;
        boolean arrival = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          if (isNews(event)) {
            news = true;
            arrival |= event.kind() != StandardWatchEventKinds.ENTRY_DELETE;
          }
        }
        boolean valid = key.reset();
        Signal signal;
        synchronized (this) {
          signal = byKey.get(key);
          if (!valid) {
            byKey.remove(key);
            signals.values().remove(signal);
          }
        }
        if (signal != null && (news || !valid)) {
          signal.fire(arrival || !valid);
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // Closed: waiters fall back to their rescan interval.
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
    try {
      service.close();
    } catch (IOException e) {
      LOG.debug("closing the watch service: {}", e.toString());
    }
    pump.interrupt();
    synchronized (this) {
      byKey.values().forEach(signal -> signal.fire(true));
    }
  }

  /**
   * Counters that waiters wait to see change: of every change, and of arrivals only (a file
   * created, renamed in or written; not one removed or renamed away).
   */
  private static final class Signal {
    private long count;
    private long arrivals;

    /** Signals that fire whenever this one does (a wake-up over several directories). */
    final java.util.List<Signal> relays = new java.util.concurrent.CopyOnWriteArrayList<>();

    void fire(boolean arrival) {
      synchronized (this) {
        count++;
        if (arrival) {
          arrivals++;
        }
        notifyAll();
      }
      relays.forEach(relay -> relay.fire(arrival));
    }

    synchronized long count(boolean arrivalsOnly) {
      return arrivalsOnly ? arrivals : count;
    }

    synchronized long awaitChange(boolean arrivalsOnly, long seen, long millis)
        throws InterruptedException {
      long deadline = System.nanoTime() + millis * 1_000_000L;
      long left = millis;
      while (count(arrivalsOnly) == seen && left > 0) {
        wait(left);
        left = (deadline - System.nanoTime()) / 1_000_000L;
      }
      return count(arrivalsOnly);
    }
  }

  /** One waiter's view of a signal. */
  private static final class View implements Wakeup {
    private final Signal signal;
    private final boolean arrivalsOnly;
    private final Duration rescan;
    private final Runnable onClose;
    private long seen;

    View(Signal signal, boolean arrivalsOnly, Duration rescan, Runnable onClose) {
      this.signal = signal;
      this.arrivalsOnly = arrivalsOnly;
      this.rescan = rescan;
      this.onClose = onClose;
      this.seen = signal.count(arrivalsOnly);
    }

    @Override
    public void await(Duration max) throws InterruptedException {
      long wait = Math.max(0, Math.min(max.toMillis(), rescan.toMillis()));
      seen = signal.awaitChange(arrivalsOnly, seen, wait);
    }

    @Override
    public void reset() {}

    @Override
    public void close() {
      onClose.run();
    }
  }
}
