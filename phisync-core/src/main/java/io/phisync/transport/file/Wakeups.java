package io.phisync.transport.file;

import io.phisync.spi.Wakeup;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@link Wakeup}s: OS file watching where it works, polling with backoff on network shares
 * (which deliver no events for writes made on other machines).
 */
final class Wakeups {
  private static final Logger LOG = LoggerFactory.getLogger(Wakeups.class);
  private static final Set<String> NETWORK_FILE_SYSTEMS =
      Set.of(
          "nfs",
          "nfs4",
          "cifs",
          "smb",
          "smbfs",
          "smb2",
          "smb3",
          "fuse.sshfs",
          "9p",
          "afs",
          "ncpfs",
          "davfs",
          "fuse.rclone",
          "virtiofs",
          "vboxsf",
          "prl_fs",
          "fuse.gcsfuse");

  private final FileTransportConfig config;
  private @Nullable DirectoryWatcher watcher;
  private final java.util.concurrent.ConcurrentHashMap<Path, Boolean> networkShares =
      new java.util.concurrent.ConcurrentHashMap<>();

  Wakeups(FileTransportConfig config) {
    this.config = config;
  }

  String describe(Path root) {
    return usePolling(root)
        ? "polling "
            + config.pollMinimum().toMillis()
            + " ms to "
            + config.pollMaximum().toMillis()
            + " ms"
        : "watching, rescan every " + config.rescanInterval().toMillis() + " ms";
  }

  Wakeup watch(Path dir) {
    return watch(dir, false);
  }

  /** A wake-up for files that arrive in {@code dir} (not for files that leave it). */
  Wakeup watchArrivals(Path dir) {
    return watch(dir, true);
  }

  private Wakeup watch(Path dir, boolean arrivalsOnly) {
    if (!usePolling(dir)) {
      try {
        return arrivalsOnly ? watcher().watchArrivals(dir) : watcher().watch(dir);
      } catch (IOException | UnsupportedOperationException e) {
        LOG.info("cannot watch {} ({}); polling instead", dir, e.toString());
      }
    }
    return new Polling(config.pollMinimum(), config.pollMaximum());
  }

  /** One wake-up for changes in any of {@code dirs}. */
  Wakeup watchAll(java.util.Collection<Path> dirs) {
    return watchAll(dirs, false);
  }

  /** One wake-up for files that arrive in any of {@code dirs} (not for files that leave them). */
  Wakeup watchAllArrivals(java.util.Collection<Path> dirs) {
    return watchAll(dirs, true);
  }

  private Wakeup watchAll(java.util.Collection<Path> dirs, boolean arrivalsOnly) {
    if (!usePolling(config.root())) {
      try {
        return arrivalsOnly ? watcher().watchAllArrivals(dirs) : watcher().watchAll(dirs);
      } catch (IOException | UnsupportedOperationException e) {
        LOG.info("cannot watch {} ({}); polling instead", dirs, e.toString());
      }
    }
    return new Polling(config.pollMinimum(), config.pollMaximum());
  }

  /**
   * Announces that the calling thread is about to create or replace {@code file}, so that its own
   * waiters are not woken by it (see {@link DirectoryWatcher#writing}).
   */
  void writing(Path file) {
    DirectoryWatcher current = current();
    if (current != null) {
      current.writing(file);
    }
  }

  /** The write announced by {@link #writing} did not happen. */
  void notWritten(Path file) {
    DirectoryWatcher current = current();
    if (current != null) {
      current.notWritten(file);
    }
  }

  private synchronized @Nullable DirectoryWatcher current() {
    return watcher;
  }

  private synchronized DirectoryWatcher watcher() throws IOException {
    if (watcher == null) {
      watcher = new DirectoryWatcher(config.root(), config.rescanInterval());
    }
    return watcher;
  }

  /** Stops watching; wake-ups made so far fall back to their rescan interval. */
  synchronized void close() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  private boolean usePolling(Path path) {
    switch (config.pollingMode()) {
      case POLL:
        return true;
      case WATCH:
        return false;
      case AUTO:
      default:
        // Asked on every wait (each call's response, each idle receive): the answer needs the
        // mount table, so it is looked up once per directory.
        return networkShares.computeIfAbsent(path, Wakeups::isNetworkShare);
    }
  }

  static boolean isNetworkShare(Path path) {
    try {
      Path existing = path;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        return false;
      }
      FileStore store = Files.getFileStore(existing);
      String type = store.type().toLowerCase(Locale.ROOT);
      return NETWORK_FILE_SYSTEMS.contains(type) || existing.toString().startsWith("\\\\");
    } catch (IOException e) {
      return false;
    }
  }

  /** The codex's polling: the delay doubles from the minimum up to the maximum while idle. */
  private static final class Polling implements Wakeup {
    private final Duration minimum;
    private final Duration maximum;
    private Duration delay;

    Polling(Duration minimum, Duration maximum) {
      this.minimum = minimum;
      this.maximum = maximum;
      this.delay = minimum;
    }

    @Override
    public synchronized void await(Duration max) throws InterruptedException {
      Duration wait = delay.compareTo(max) < 0 ? delay : max;
      Duration doubled = delay.multipliedBy(2);
      delay = doubled.compareTo(maximum) < 0 ? doubled : maximum;
      if (!wait.isNegative() && !wait.isZero()) {
        Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
      }
    }

    @Override
    public synchronized void reset() {
      delay = minimum;
    }

    @Override
    public void close() {}
  }
}
