package io.phisync.cli;

/** Whether a person watches: an interactive terminal that understands cursor movement. */
final class Terminal {
  private Terminal() {}

  static boolean isInteractive() {
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !term.isBlank() && !"dumb".equals(term);
  }
}
