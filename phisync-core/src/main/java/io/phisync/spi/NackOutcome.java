package io.phisync.spi;

/** What became of a message given back after a failure. */
public enum NackOutcome {
  /** It will be delivered again. */
  REQUEUED,
  /** It was at its last attempt and is now a dead letter. */
  DEAD_LETTERED
}
