package io.phisync.cli;

/** The exit codes of {@code phisync}, documented in the README. */
final class ExitCodes {
  /** Done. */
  static final int OK = 0;

  /** An unexpected failure: a bug, or the file system refused. */
  static final int FAILURE = 1;

  /** A usage error or invalid input: nothing was written. */
  static final int USAGE = 2;

  /** {@code recv}: nothing arrived within the wait. */
  static final int NOTHING_RECEIVED = 3;

  /** {@code workflow}: no such run. */
  static final int NOT_FOUND = 3;

  /** A conflict: the message or response exists already, or a lease was lost. */
  static final int CONFLICT = 4;

  /** {@code request}: the responder answered with an error response. */
  static final int ERROR_RESPONSE = 5;

  /** {@code request}: no response within the timeout (as timeout(1)). */
  static final int TIMED_OUT = 124;

  private ExitCodes() {}
}
