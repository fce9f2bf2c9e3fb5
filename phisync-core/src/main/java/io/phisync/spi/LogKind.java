package io.phisync.spi;

/** The revision logs a transport keeps, one namespace of keys each. */
public enum LogKind {
  /** Versioned state documents; the view is the latest value. */
  STATE,
  /** Lock grants; the view is the holder's owner record (the codex's lock file). */
  LOCKS,
  /** Event-sourced streams, one commit (a batch of events) per revision; no view. */
  STREAMS,
  /** Workflow run journals, one entry per revision; the view is the run's {@code RunView}. */
  WORKFLOWS
}
