package io.phisync.workflow;

import io.phisync.protocol.AgentName;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * How this process runs a workflow.
 *
 * @param orchestrator the agent the requests come from ({@code from}); it must exist on the root
 * @param random the source of retry jitter and approval nonces (inject a seeded one in tests)
 * @param listener told of every journal entry this process commits or reads, after the fact, from
 *     the engine's thread; it must return quickly
 */
public record RunOptions(
    AgentName orchestrator, RandomGenerator random, Consumer<RunView> listener) {

  public RunOptions {
    Objects.requireNonNull(orchestrator, "orchestrator");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(listener, "listener");
  }

  /** Runs as {@code orchestrator}, with a secure random and no listener. */
  public static RunOptions as(AgentName orchestrator) {
    return new RunOptions(orchestrator, new java.security.SecureRandom(), view -> {});
  }

  public RunOptions withListener(Consumer<RunView> value) {
    return new RunOptions(orchestrator, random, value);
  }

  public RunOptions withRandom(RandomGenerator value) {
    return new RunOptions(orchestrator, value, listener);
  }
}
