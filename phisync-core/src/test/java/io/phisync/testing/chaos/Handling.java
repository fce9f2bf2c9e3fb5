package io.phisync.testing.chaos;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One run of a handler, as a chaos workload's effect log records it: the message (or request) id,
 * its delivery attempt, when (epoch millis) and by which instance.
 */
public record Handling(String id, int attempt, long at, String instance) {
  /**
   * An exec handler's effect is written by its program, which a kill -9 of its agent leaves running
   * for a moment: a fault this soon after an effect still counts as after it.
   */
  public static final long EXEC_SLACK_MILLIS = 1_000;

  /**
   * Why {@code later} handled what {@code earlier} had handled; null when nothing explains it. The
   * causes, in order: a fault to the earlier instance after its effect and before its ack (the
   * at-least-once window); the later instance stopped while holding the claim and handling it on
   * waking; a later attempt, which is a redelivery after the lease ran out (a message is taken
   * again only from an expired claim, so an acknowledged one never is). {@code whose} qualifies the
   * fault in the text (e.g. {@code " of the agent"}, or empty).
   */
  public static @Nullable String explain(
      Handling earlier, Handling later, List<Agents.Note> notes, Duration stall, String whose) {
    for (Agents.Note note : notes) {
      if (note.instance().equals(earlier.instance())
          && note.epochMillis() >= earlier.at() - EXEC_SLACK_MILLIS
          && note.epochMillis() <= earlier.at() + stall.toMillis()) {
        return note.fault() + whose + " after the effect, before the ack";
      }
    }
    for (Agents.Note note : notes) {
      if (note.instance().equals(later.instance())
          && note.fault().startsWith("SIGSTOP")
          && note.epochMillis() <= later.at()
          && note.epochMillis() >= later.at() - stall.toMillis() - 5_000) {
        return "SIGSTOP" + whose + " holding a claim, handled on waking";
      }
    }
    if (later.attempt() > earlier.attempt()) {
      // The earlier handler neither acked nor renewed in time, with no fault of ours (a JVM
      // descheduled on a loaded machine).
      return "lease ran out before the ack, no fault injected (slow under load)";
    }
    return null;
  }
}
