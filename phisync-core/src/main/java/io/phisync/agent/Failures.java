package io.phisync.agent;

/** The reason text of a handler's failure. */
final class Failures {
  /** Reasons are stored in delivery logs and responses; a handler's message may be long. */
  static final int MAX_REASON_CHARS = 4096;

  private Failures() {}

  static String reason(Throwable failure) {
    String message = failure.getMessage();
    String text =
        message == null || message.isBlank()
            ? failure.getClass().getName()
            : failure instanceof ProgramFailedException
                ? message
                : failure.getClass().getSimpleName() + ": " + message;
    return bounded(text);
  }

  static String bounded(String text) {
    return text.length() <= MAX_REASON_CHARS
        ? text
        : text.substring(0, MAX_REASON_CHARS) + "... (" + text.length() + " chars)";
  }
}
