package io.phisync.agent;

import java.util.Locale;

/** Where an agent is in its life: initialized, running, draining, stopped, in that order. */
public enum AgentState {
  /** Built, not started. */
  INITIALIZED,
  /** Taking and handling messages. */
  RUNNING,
  /** Taking no new messages; finishing the ones in flight. */
  DRAINING,
  /** Done; it takes nothing more. */
  STOPPED;

  /** The word written into {@code state.json}: {@code running}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
