package io.phisync.spi;

/** How hard a write tries to survive a crash of the machine. */
public enum Durability {
  /**
   * The file and its directory are forced to stable storage before a write returns (the directory
   * where the platform allows it: not on Windows). The default.
   */
  DURABLE,
  /**
   * Writes are atomic but not forced: a crash of the machine (not of the process) can lose writes
   * of the last few seconds. A process crash loses nothing.
   */
  FAST
}
