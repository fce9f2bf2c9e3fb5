package io.phisync.state;

/** What a compare-and-set expects to find. */
public sealed interface Expect {

  /** Whatever is there: the write is unconditional (fencing still applies). */
  static Expect any() {
    return new Any();
  }

  /** No value: the key was never written, or its latest revision deleted it. */
  static Expect absent() {
    return new Absent();
  }

  /** The latest revision is exactly {@code revision} (0: the key has no revisions at all). */
  static Expect revision(long revision) {
    if (revision < 0) {
      throw new IllegalArgumentException("a revision is 0 or more, got " + revision);
    }
    return new AtRevision(revision);
  }

  /** Expects anything. */
  record Any() implements Expect {}

  /** Expects no value. */
  record Absent() implements Expect {}

  /**
   * Expects this latest revision.
   *
   * @param revision the revision
   */
  record AtRevision(long revision) implements Expect {}
}
