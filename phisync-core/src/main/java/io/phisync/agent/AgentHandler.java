package io.phisync.agent;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Handles one command. What it returns is the response payload of a request (null: an empty
 * object); an exception is a failure, retried by the agent's {@link RetryPolicy}. A handler may run
 * on several threads at once, up to the agent's concurrency.
 *
 * <p>A handler runs once per message id in normal operation. After a crash between its effect and
 * the acknowledgement it runs again, so handlers whose effects must not repeat make them idempotent
 * by {@code delivery.message().id()}.
 */
@FunctionalInterface
public interface AgentHandler {

  /**
   * @throws InterruptedException when the agent stops waiting for it (a drain's deadline passed);
   *     the message is then delivered again once its lease runs out
   * @throws Exception any failure; its message becomes the failure's reason
   */
  @Nullable JsonNode handle(Delivery delivery) throws Exception;
}
