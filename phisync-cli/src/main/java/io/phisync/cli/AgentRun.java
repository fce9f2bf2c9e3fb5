package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.agent.Agent;
import io.phisync.agent.AgentStats;
import io.phisync.agent.Program;
import io.phisync.agent.RetryPolicy;
import io.phisync.bus.Durations;
import io.phisync.protocol.AgentName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code phisync agent run}: a program as an agent, until SIGTERM or Ctrl-C. */
final class AgentRun {
  private final Session session;

  /** What {@code agent run} was asked for. */
  record Settings(
      AgentName agent,
      @Nullable String exec,
      List<String> args,
      @Nullable Path handlers,
      int concurrency,
      Duration timeout,
      int maxAttempts,
      Duration retryDelay,
      Duration heartbeat,
      Duration drain) {}

  AgentRun(Session session) {
    this.session = session;
  }

  int run(Settings settings) throws InterruptedException {
    if (settings.concurrency() < 1) {
      throw CliException.usage("--concurrency must be at least 1, got " + settings.concurrency());
    }
    if (settings.maxAttempts() < 1) {
      throw CliException.usage("--max-attempts must be at least 1, got " + settings.maxAttempts());
    }
    if (settings.exec() == null && !settings.args().isEmpty()) {
      throw CliException.usage("--arg goes with --exec");
    }
    try (PhiSync phi = session.open()) {
      if (!phi.transport().hasAgent(settings.agent())) {
        throw CliException.usage(
            "unknown agent '"
                + settings.agent()
                + "'; create it with 'phisync init --agents "
                + settings.agent()
                + "'");
      }
      Agent agent = build(phi, settings);
      agent.start();
      Thread hook = new Thread(() -> drain(agent, settings.drain()), "phisync-agent-drain");
      Runtime.getRuntime().addShutdownHook(hook);
      session
          .err()
          .printf(
              "agent %s running (instance %s, concurrency %d); SIGTERM or Ctrl-C drains it%n",
              agent.name(), agent.instanceId(), settings.concurrency());
      agent.awaitStopped();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is what stopped it.
      }
    }
    return ExitCodes.OK;
  }

  private Agent build(PhiSync phi, Settings settings) {
    Agent.Builder builder =
        phi.agent(settings.agent())
            .concurrency(settings.concurrency())
            .heartbeatInterval(settings.heartbeat())
            .drainDeadline(settings.drain())
            .retryPolicy(
                RetryPolicy.builder()
                    .maximumAttempts(settings.maxAttempts())
                    .initialInterval(settings.retryDelay())
                    .build());
    String exec = settings.exec();
    Path handlers = settings.handlers();
    if (exec != null) {
      builder.handleOthers(program(exec, settings.args(), settings.timeout()).handler());
    } else if (handlers != null) {
      for (Map.Entry<String, Program> e :
          HandlersFile.read(handlers, settings.timeout()).entrySet()) {
        builder.handle(e.getKey(), e.getValue().handler());
      }
    }
    return builder.build();
  }

  /** {@code --exec 'PROGRAM ARGS'} split at whitespace, then each {@code --arg} verbatim. */
  static Program program(String exec, List<String> args, Duration timeout) {
    List<String> argv = new ArrayList<>();
    Arrays.stream(exec.strip().split("\\s+")).filter(s -> !s.isEmpty()).forEach(argv::add);
    if (argv.isEmpty()) {
      throw CliException.usage("--exec needs a program");
    }
    argv.addAll(args);
    try {
      return Program.of(argv).withTimeout(timeout);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--exec: " + e.getMessage());
    }
  }

  private void drain(Agent agent, Duration deadline) {
    session
        .err()
        .printf("agent %s draining (up to %s)%n", agent.name(), Durations.format(deadline));
    boolean finished = agent.drain(deadline);
    AgentStats stats = agent.stats();
    session
        .err()
        .printf(
            "agent %s stopped: %d processed, %d failed%s%n",
            agent.name(),
            stats.processed(),
            stats.failed(),
            finished ? "" : "; work still in flight comes back when its lease runs out");
    session.err().flush();
  }
}
