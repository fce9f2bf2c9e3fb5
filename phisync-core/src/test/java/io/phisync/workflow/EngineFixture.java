package io.phisync.workflow;

import io.phisync.PhiSync;
import io.phisync.agent.Agent;
import io.phisync.agent.AgentHandler;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import io.phisync.spi.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A root with agents dc (the orchestrator), webc and cmdc, an engine and a mutable clock. */
final class EngineFixture implements AutoCloseable {
  static final AgentName DC = AgentName.of("dc");
  static final AgentName WEBC = AgentName.of("webc");
  static final AgentName CMDC = AgentName.of("cmdc");

  final Path root;
  final MutableClock clock = MutableClock.startingNow();
  final PhiSync phi;
  final FakeApprovals approvals = new FakeApprovals();
  final List<DefaultWorkflows> engines = new ArrayList<>();
  final List<Agent> agents = new ArrayList<>();

  /** Handler runs by "step#attempt" (from the request's workflow headers). */
  final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** The order in which handlers ran, as "command:step". */
  final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();

  EngineFixture(Path root) {
    this(root, Durability.FAST);
  }

  EngineFixture(Path root, Durability durability) {
    this.root = root;
    this.phi = PhiSync.builder(root).durability(durability).clock(clock).open();
    phi.init(List.of(DC, WEBC, CMDC));
  }

  DefaultWorkflows engine() {
    DefaultWorkflows engine =
        new DefaultWorkflows(
            phi.transport(),
            clock,
            phi.locks(),
            approvals,
            CelExpressions.create(),
            new CodecDefinitions(),
            Duration.ofSeconds(30),
            Duration.ofMillis(250));
    engines.add(engine);
    return engine;
  }

  /** Starts {@code agent} with {@code handlers}, counting every run. */
  Agent agent(AgentName agent, Map<String, AgentHandler> handlers) {
    Agent.Builder builder =
        phi.agent(agent).concurrency(16).heartbeatInterval(Duration.ofMillis(500));
    handlers.forEach(
        (command, handler) ->
            builder.handle(
                command,
                d -> {
                  var headers = d.message().headers();
                  if (headers != null && headers.containsKey("workflowStep")) {
                    runs.computeIfAbsent(
                            headers.get("workflowStep") + "#" + headers.get("workflowAttempt"),
                            k -> new AtomicInteger())
                        .incrementAndGet();
                  }
                  order.add(command + ":" + (headers == null ? "" : headers.get("workflowStep")));
                  return handler.handle(d);
                }));
    Agent built = builder.build();
    built.start();
    agents.add(built);
    return built;
  }

  int runsOf(String step, int attempt) {
    AtomicInteger n = runs.get(step + "#" + attempt);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    engines.forEach(DefaultWorkflows::close);
    agents.forEach(a -> a.drain(Duration.ofSeconds(5)));
    phi.close();
  }
}
