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
    return new View(signalFor(dir), rescan, () -> {});
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
    return new View(relay, rescan, () -> sources.forEach(s -> s.relays.remove(relay)));
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
        for (WatchEvent<?> event : key.pollEvents()) {
          news |= isNews(event);
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
          signal.fire();
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
      byKey.values().forEach(Signal::fire);
    }
  }

  /** A counter that waiters wait to see change. */
  private static final class Signal {
    private long count;

    /** Signals that fire whenever this one does (a wake-up over several directories). */
    final java.util.List<Signal> relays = new java.util.concurrent.CopyOnWriteArrayList<>();

    void fire() {
      synchronized (this) {
        count++;
        notifyAll();
      }
      relays.forEach(Signal::fire);
    }

    synchronized long count() {
      return count;
    }

    synchronized long awaitChange(long seen, long millis) throws InterruptedException {
      long deadline = System.nanoTime() + millis * 1_000_000L;
      long left = millis;
      while (count == seen && left > 0) {
        wait(left);
        left = (deadline - System.nanoTime()) / 1_000_000L;
      }
      return count;
    }
  }

  /** One waiter's view of a signal. */
  private static final class View implements Wakeup {
    private final Signal signal;
    private final Duration rescan;
    private final Runnable onClose;
    private long seen;

    View(Signal signal, Duration rescan, Runnable onClose) {
      this.signal = signal;
      this.rescan = rescan;
      this.onClose = onClose;
      this.seen = signal.count();
    }

    @Override
    public void await(Duration max) throws InterruptedException {
      long wait = Math.max(0, Math.min(max.toMillis(), rescan.toMillis()));
      seen = signal.awaitChange(seen, wait);
    }

    @Override
    public void reset() {}

    @Override
    public void close() {
      onClose.run();
    }
  }
}
