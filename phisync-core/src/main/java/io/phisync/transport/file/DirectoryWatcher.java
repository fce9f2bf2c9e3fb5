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
 *
 * <p>A waiter is not woken by a file its own thread wrote and announced with {@link #writing} (a
 * workflow engine's journal entry, a state or lock revision): it knows of that write, and waking
 * for it cost a workflow a whole extra pass of its loop per step. Every other waiter, including one
 * of another thread of this process, is woken by it as by anyone's.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
  private static final int OWN_WRITES_KEPT = 1024;

  private final WatchService service;
  private final Duration rescan;

  // Guarded by this.
  private final Map<Path, Signal> signals = new HashMap<>();
  private final Map<WatchKey, Signal> byKey = new HashMap<>();
  private final Map<Path, Thread> ownWrites =
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Thread> eldest) {
          return size() > OWN_WRITES_KEPT; // Written, but their events were lost (an overflow).
        }
      };
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
    return watchAll(dirs, false);
  }

  /**
   * One wake-up for files that appear in any of {@code dirs}, not for files that leave them: what a
   * workflow engine waits for (responses, journal entries), which itself takes the responses away.
   */
  synchronized Wakeup watchAllArrivals(Collection<Path> dirs) throws IOException {
    return watchAll(dirs, true);
  }

  private Wakeup watchAll(Collection<Path> dirs, boolean arrivalsOnly) throws IOException {
    Signal relay = new Signal();
    List<Signal> sources = new ArrayList<>();
    for (Path dir : dirs) {
      Signal source = signalFor(dir);
      source.relays.add(relay);
      sources.add(source);
    }
    return new View(
        relay,
        arrivalsOnly,
        () -> {
          synchronized (this) {
            sources.forEach(s -> s.relays.remove(relay));
          }
        });
  }

  /**
   * Announces that the calling thread is about to create or replace {@code file}: the event it
   * makes will not wake this thread's waiters. Call {@link #notWritten} if the write fails. Does
   * nothing for a directory nobody in this process watches.
   */
  synchronized void writing(Path file) {
    if (!closed && signals.containsKey(file.getParent())) {
      ownWrites.put(file, Thread.currentThread());
    }
  }

  /** The announced write did not happen: an event for that name is somebody else's. */
  synchronized void notWritten(Path file) {
    ownWrites.remove(file);
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
   * Waits until {@code signal}'s count is no longer {@code seen} or {@code nanos} have passed, and
   * returns the count. Leads (takes the OS's events) when no other waiter does. A wait shorter than
   * a millisecond is a wait, not a return: a caller looping to a deadline would otherwise spin
   * through its last millisecond.
   */
  private long awaitChange(Signal signal, boolean arrivalsOnly, long seen, long nanos)
      throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    Thread self = Thread.currentThread();
    while (true) {
      long left;
      synchronized (this) {
        while (true) {
          long count = signal.count(arrivalsOnly, self);
          left = deadline - System.nanoTime();
          if (count != seen || left <= 0) {
            return count;
          }
          if (!leading && !closed) {
            leading = true;
            break;
          }
          // Closed: the rescan interval is all that is left.
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
      lead(left);
    }
  }

  /** Takes the OS's events for up to {@code nanos}, counts them, and wakes every waiter. */
  private void lead(long nanos) throws InterruptedException {
    @Nullable WatchKey key = null;
    try {
      key = service.poll(nanos, TimeUnit.NANOSECONDS);
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

  /**
   * Counts one key's events on its directory's signal: once for all that are somebody else's, and
   * once per thread for those that are a thread's own writes (if every one is). Called holding
   * this.
   */
  private void count(WatchKey key) {
    boolean news = false;
    boolean arrival = false;
    Map<Thread, Boolean> own = Map.of();
    // The directory the key was registered for: own writes are announced by their full path.
    @Nullable Path dir = key.watchable() instanceof Path watched ? watched : null;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (isNews(event)) {
        boolean arrives = event.kind() != StandardWatchEventKinds.ENTRY_DELETE;
        @Nullable Thread writer =
            dir != null && event.context() instanceof Path name && arrives
                ? ownWrites.remove(dir.resolve(name))
                : null;
        if (writer != null) {
          if (own.isEmpty()) {
            own = new HashMap<>();
          }
          own.put(writer, Boolean.TRUE);
        } else {
          news = true;
          arrival |= arrives;
        }
      }
    }
    boolean valid = key.reset();
    Signal signal = byKey.get(key);
    if (!valid) {
      byKey.remove(key);
      signals.values().remove(signal);
    }
    if (signal == null) {
      return;
    }
    if (news || !valid) {
      signal.fire(arrival || !valid, null);
    } else {
      own.keySet().forEach(writer -> signal.fire(true, writer));
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
      byKey.values().forEach(signal -> signal.fire(true, null));
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

    /** Of the changes counted, those that were a thread's own writes: its count and arrivals. */
    private final Map<Thread, long[]> own = new java.util.WeakHashMap<>();

    /** Signals that fire whenever this one does (a wake-up over several directories). */
    final List<Signal> relays = new ArrayList<>();

    /** One change; {@code writer}: the thread whose own write it was, or null. */
    void fire(boolean arrival, @Nullable Thread writer) {
      count++;
      if (arrival) {
        arrivals++;
      }
      if (writer != null) {
        long[] mine = own.computeIfAbsent(writer, t -> new long[2]);
        mine[0]++;
        if (arrival) {
          mine[1]++;
        }
      }
      relays.forEach(relay -> relay.fire(arrival, writer));
    }

    /** The changes {@code reader} has to be told of: all but its own writes. */
    long count(boolean arrivalsOnly, Thread reader) {
      long[] mine = own.get(reader);
      long total = arrivalsOnly ? arrivals : count;
      return mine == null ? total : total - mine[arrivalsOnly ? 1 : 0];
    }
  }

  /**
   * One waiter's view of a signal, made and awaited by one thread (the thread whose own writes it
   * is not woken by).
   */
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
        this.seen = signal.count(arrivalsOnly, Thread.currentThread());
      }
    }

    @Override
    public void await(Duration max) throws InterruptedException {
      long wait = Math.max(0, (max.compareTo(rescan) < 0 ? max : rescan).toNanos());
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
