package io.phisync.agent;

import io.phisync.protocol.Timestamps;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The liveness rule for agent records ({@code state.json} and instance records): an agent that says
 * it is running or draining is down when its {@code lastHeartbeat} is older than {@value
 * #STALE_BEATS} heartbeat intervals ({@code heartbeatIntervalMillis}, 5 s when absent). The age is
 * the reader's clock minus the writer's timestamp, so clock skew between hosts adds to it. Records
 * with any other status, or without {@code lastHeartbeat} (such as the codex's), are never judged
 * down.
 */
public final class Liveness {
  /** Missed heartbeats after which an agent is down. */
  public static final int STALE_BEATS = 3;

  /** The status shown for an agent whose heartbeat went stale. */
  public static final String DOWN = "down";

  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  private static final Set<String> ALIVE =
      Set.of(AgentState.RUNNING.wireName(), AgentState.DRAINING.wireName());

  private Liveness() {}

  /** Whether {@code record} claims to be alive but its heartbeat is stale at {@code now}. */
  public static boolean isDown(JsonNode record, OffsetDateTime now) {
    JsonNode status = record.get("status");
    if (status == null || !status.isString() || !ALIVE.contains(status.asString())) {
      return false;
    }
    OffsetDateTime beat = timestamp(record.get("lastHeartbeat"));
    return beat != null && Duration.between(beat, now).compareTo(staleAfter(record)) > 0;
  }

  /** The heartbeat age past which {@code record} is down. */
  public static Duration staleAfter(JsonNode record) {
    JsonNode interval = record.get("heartbeatIntervalMillis");
    Duration beat =
        interval != null && interval.canConvertToLong() && interval.asLong() > 0
            ? Duration.ofMillis(interval.asLong())
            : DEFAULT_INTERVAL;
    return beat.multipliedBy(STALE_BEATS);
  }

  static @Nullable OffsetDateTime timestamp(@Nullable JsonNode node) {
    if (node == null || !node.isString()) {
      return null;
    }
    try {
      return Timestamps.parse(node.asString());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
