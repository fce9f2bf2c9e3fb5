package io.phisync.bench.process;

import java.util.Locale;

/** What is measured: PhiSync itself or one of the references it is compared with. */
public enum Subject {
  /** PhiSync's bus over the file transport. */
  PHISYNC("phisync"),
  /**
   * The file system's limit: a bare create-write-rename loop with no JSON; for latencies, the same
   * writes woken by the JDK's WatchService, with one read and one unlink to take a file.
   */
  RAW_FS("raw-fs"),
  /**
   * The raw-fs floor of an exchange with the files kept, as PhiSync keeps them (and Camel's route
   * and the codex keep their inboxes'): a taker moves what it read into {@code processed/} by one
   * rename instead of deleting it. A file system that recycles a deleted file's inode and pages for
   * the next one allocates new ones for every file it keeps. For one-way throughput, the codex's
   * producer into such a consumer: the floor of a pipeline, where raw-fs is a producer alone.
   */
  RAW_FS_KEPT("raw-fs-kept"),
  /** The codex's pattern: list the directory, sleep 100 ms doubling to 5 s when idle. */
  CODEX("codex-polling"),
  /** Apache Camel's file component, tuned: {@code delay=1&readLock=none}. */
  CAMEL("camel-file");

  private final String label;

  Subject(String label) {
    this.label = label;
  }

  /** The name used on command lines and in reports. */
  public String label() {
    return label;
  }

  /** Parses {@link #label()}. */
  public static Subject of(String label) {
    for (Subject subject : values()) {
      if (subject.label.equals(label.toLowerCase(Locale.ROOT))) {
        return subject;
      }
    }
    throw new IllegalArgumentException("unknown subject: " + label);
  }
}
