package io.phisync.agent;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of what one running instance has done.
 *
 * @param state where it is in its life
 * @param inFlight messages its handlers hold now
 * @param processed messages it finished (answered or acknowledged) since it started
 * @param failed handler failures since it started (each retried or dead-lettered)
 * @param lastError the reason of the last failure, if any
 */
public record AgentStats(
    AgentState state, int inFlight, long processed, long failed, @Nullable String lastError) {}
