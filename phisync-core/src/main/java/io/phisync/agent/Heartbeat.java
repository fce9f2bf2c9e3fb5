package io.phisync.agent;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.AgentRegistry;
import io.phisync.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one instance's record ({@code <agent>/instances/<id>.json}) and then the agent's aggregate
 * {@code state.json}: the writer's own fields, {@code status} running if any live instance runs,
 * and {@code inFlight}, {@code processed}, {@code failed} summed over the live instances. Two
 * instances beating at once each replace {@code state.json} whole; the last one wins, and each
 * version is a consistent aggregate.
 */
final class Heartbeat {
  /** Records of instances silent for this long are removed by whoever beats next. */
  static final Duration FORGET_AFTER = Duration.ofDays(1);

  private final Transport transport;
  private final AgentRegistry registry;
  private final AgentName agent;
  private final String instanceId;
  private final Duration interval;
  private final int concurrency;
  private final Clock clock;
  private final OffsetDateTime started;
  private final long pid = Instances.pid();
  private final String host = Instances.host();
  private boolean stopped;

  Heartbeat(
      Transport transport,
      AgentName agent,
      String instanceId,
      Duration interval,
      int concurrency,
      Clock clock) {
    this.transport = transport;
    this.registry = transport.agentRegistry();
    this.agent = agent;
    this.instanceId = instanceId;
    this.interval = interval;
    this.concurrency = concurrency;
    this.clock = clock;
    this.started = OffsetDateTime.now(clock);
  }

  String instanceId() {
    return instanceId;
  }

  /** Records a beat of a running or draining instance. */
  synchronized void write(AgentStats stats) {
    if (stopped) {
      return; // A beat that was under way when the agent stopped: its last word is written.
    }
    ObjectNode own = record(stats);
    registry.writeInstance(agent, instanceId, own);
    registry.writeState(agent, aggregate(own));
  }

  /** Records that this instance stopped; its instance record goes away. */
  synchronized void stop(AgentStats stats) {
    stopped = true;
    ObjectNode own = record(stats);
    registry.removeInstance(agent, instanceId);
    registry.writeState(agent, aggregate(own));
  }

  private ObjectNode record(AgentStats stats) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    ObjectNode node =
        Json.object()
            .put("agent", agent.value())
            .put("status", stats.state().wireName())
            .put("lastUpdate", now.toString())
            .put("instance", instanceId)
            .put("pid", pid)
            .put("host", host)
            .put("started", started.toString())
            .put("lastHeartbeat", now.toString())
            .put("heartbeatIntervalMillis", interval.toMillis())
            .put("concurrency", concurrency)
            .put("inboxDepth", inboxDepth())
            .put("inFlight", stats.inFlight())
            .put("processed", stats.processed())
            .put("failed", stats.failed());
    return node.put("lastError", stats.lastError());
  }

  private int inboxDepth() {
    try {
      return transport.stats(agent).pending();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private ObjectNode aggregate(ObjectNode own) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<JsonNode> live = new ArrayList<>();
    boolean ownLive = !own.path("status").asString("").equals(AgentState.STOPPED.wireName());
    if (ownLive) {
      live.add(own);
    }
    for (ObjectNode other : registry.instances(agent)) {
      if (instanceId.equals(other.path("instance").asString(""))) {
        continue;
      }
      if (isForgotten(other, now)) {
        forget(other.path("instance").asString(""));
      } else if (!Liveness.isDown(other, now) && isAlive(other)) {
        live.add(other);
      }
    }
    // The writer speaks for the agent, unless it stopped while others still run.
    ObjectNode state = (ownLive || live.isEmpty() ? own : (ObjectNode) live.get(0)).deepCopy();
    state.put("lastUpdate", now.toString());
    if (live.stream().anyMatch(r -> hasStatus(r, AgentState.RUNNING))) {
      state.put("status", AgentState.RUNNING.wireName());
    } else if (live.stream().anyMatch(r -> hasStatus(r, AgentState.DRAINING))) {
      state.put("status", AgentState.DRAINING.wireName());
    }
    int instances = live.size();
    if (!ownLive) {
      live.add(own); // Its final counts still count in its last word.
    }
    state.put("inFlight", live.stream().mapToLong(r -> r.path("inFlight").asLong(0)).sum());
    state.put("processed", live.stream().mapToLong(r -> r.path("processed").asLong(0)).sum());
    state.put("failed", live.stream().mapToLong(r -> r.path("failed").asLong(0)).sum());
    state.put("instances", instances);
    return state;
  }

  private void forget(String instance) {
    try {
      registry.removeInstance(agent, instance);
    } catch (RuntimeException e) {
      // Not a valid instance id, or already gone: nothing of ours to remove.
    }
  }

  private static boolean isAlive(JsonNode record) {
    return hasStatus(record, AgentState.RUNNING) || hasStatus(record, AgentState.DRAINING);
  }

  private static boolean hasStatus(JsonNode record, AgentState state) {
    return state.wireName().equals(record.path("status").asString(""));
  }

  private static boolean isForgotten(JsonNode record, OffsetDateTime now) {
    OffsetDateTime beat = Liveness.timestamp(record.get("lastHeartbeat"));
    return beat != null && beat.plus(FORGET_AFTER).isBefore(now);
  }
}
