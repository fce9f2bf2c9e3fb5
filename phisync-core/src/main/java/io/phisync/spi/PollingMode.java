package io.phisync.spi;

/** How waiters learn that a directory changed. */
public enum PollingMode {
  /** Watch where the file system reports changes, poll on network shares. */
  AUTO,
  /** OS file watching (inotify, ReadDirectoryChangesW), plus periodic rescans. */
  WATCH,
  /** Listing with exponential backoff, 100 ms up to 5 s by default: for network shares. */
  POLL
}
