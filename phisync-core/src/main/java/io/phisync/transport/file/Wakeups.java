package io.phisync.transport.file;

import io.phisync.spi.Wakeup;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
    if (!usePolling(dir)) {
      try {
        WatchService service = dir.getFileSystem().newWatchService();
        dir.register(
            service,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
        return new Watching(service, config.rescanInterval());
      } catch (IOException | UnsupportedOperationException e) {
        LOG.info("cannot watch {} ({}); polling instead", dir, e.toString());
      }
    }
    return new Polling(config.pollMinimum(), config.pollMaximum());
  }

  private boolean usePolling(Path path) {
    switch (config.pollingMode()) {
      case POLL:
        return true;
      case WATCH:
        return false;
      case AUTO:
      default:
        return isNetworkShare(path);
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

  /** File-system events, and a wake-up at least every rescan interval. */
  private static final class Watching implements Wakeup {
    private final WatchService service;
    private final Duration rescan;

    Watching(WatchService service, Duration rescan) {
      this.service = service;
      this.rescan = rescan;
    }

    @Override
    public void await(Duration max) throws InterruptedException {
      long wait = Math.max(0, Math.min(max.toMillis(), rescan.toMillis()));
      try {
        WatchKey key = service.poll(wait, TimeUnit.MILLISECONDS);
        if (key != null) {
          key.pollEvents(); // Overflow or not, the waiter re-lists.
          key.reset();
        }
      } catch (ClosedWatchServiceException e) {
        Thread.sleep(wait);
      }
    }

    @Override
    public void reset() {}

    @Override
    public void close() {
      try {
        service.close();
      } catch (IOException e) {
        LOG.debug("closing a watch service: {}", e.toString());
      }
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
        Thread.sleep(wait.toMillis());
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
