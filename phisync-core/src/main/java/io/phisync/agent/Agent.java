package io.phisync.agent;

import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A long-running agent: it serves its inbox with a handler per command, up to {@code concurrency}
 * messages at once, shows that it is alive in {@code <agent>/state.json}, and drains gracefully.
 *
 * <pre>{@code
 * try (Agent webc = phi.agent(AgentName.of("webc"))
 *     .handle("research", d -> Json.object().put("sources", 12))
 *     .concurrency(4)
 *     .build()) {
 *   webc.start();
 *   ...
 *   webc.drain(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Several instances of one agent, in one process or many, are competing consumers of its inbox:
 * each message goes to one of them. Each instance records itself in {@code
 * <agent>/instances/<instanceId>.json}; {@code state.json} is the aggregate, written by whichever
 * instance beat last (docs/PROTOCOL.md).
 *
 * <p>This interface is thread-safe.
 */
public interface Agent extends AutoCloseable {

  /** A builder for an agent named {@code name} that works through {@code bus}. */
  static Builder builder(MessageBus bus, AgentName name) {
    return new Builder(bus, name);
  }

  /** Its name. */
  AgentName name();

  /** This instance's id, unique among the agent's instances. */
  String instanceId();

  /** Where it is in its life. */
  AgentState state();

  /** What this instance has done so far. */
  AgentStats stats();

  /**
   * Starts taking messages: initialized becomes running.
   *
   * @throws IllegalStateException when it was started before
   * @throws io.phisync.spi.UnknownAgentException when the root has no such agent
   */
  void start();

  /**
   * Stops taking messages and waits up to {@code deadline} for the ones in flight to finish;
   * returns whether they all did. Handlers still running then are interrupted and their messages
   * come back when their leases run out. Ends stopped; calling it again returns at once.
   */
  boolean drain(Duration deadline);

  /**
   * Waits until it has stopped.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  void awaitStopped() throws InterruptedException;

  /** Drains with the builder's drain deadline (30 s by default). */
  @Override
  void close();

  /** Builds an {@link Agent}. Not thread-safe. */
  final class Builder {
    final MessageBus bus;
    final AgentName name;
    final Map<String, AgentHandler> handlers = new LinkedHashMap<>();
    @Nullable AgentHandler fallback;
    final List<EventFeed> feeds = new ArrayList<>();
    int concurrency = 1;
    @Nullable RetryPolicy retryPolicy;
    Duration heartbeatInterval = Duration.ofSeconds(5);
    Duration drainDeadline = Duration.ofSeconds(30);
    @Nullable Clock clock;

    private Builder(MessageBus bus, AgentName name) {
      this.bus = bus;
      this.name = name;
    }

    /**
     * Handles {@code command} ({@code payload.command}) with {@code handler}.
     *
     * @throws IllegalArgumentException when the command is blank or already has a handler
     */
    public Builder handle(String command, AgentHandler handler) {
      if (command.isBlank()) {
        throw new IllegalArgumentException("a command must not be blank");
      }
      if (handlers.putIfAbsent(command, handler) != null) {
        throw new IllegalArgumentException("command '" + command + "' has a handler already");
      }
      return this;
    }

    /**
     * Handles every command that has no handler of its own. Without one, such a request gets an
     * error response that says "unknown command" and names it.
     */
    public Builder handleOthers(AgentHandler handler) {
      fallback = handler;
      return this;
    }

    /** Runs this feed of events while the agent runs (see {@link EventFeed}). */
    public Builder onEvent(EventFeed feed) {
      feeds.add(feed);
      return this;
    }

    /** How many messages it handles at once; 1 by default. */
    public Builder concurrency(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, got " + value);
      }
      concurrency = value;
      return this;
    }

    /** How failures are retried; by default 1 s doubling waits and the bus's maximum attempts. */
    public Builder retryPolicy(RetryPolicy value) {
      retryPolicy = value;
      return this;
    }

    /**
     * How often it writes its heartbeat; 5 s by default. Readers take it for down when its
     * heartbeat is older than three intervals.
     */
    public Builder heartbeatInterval(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("heartbeatInterval must be positive, got " + value);
      }
      heartbeatInterval = value;
      return this;
    }

    /** How long {@link Agent#close()} waits for work in flight; 30 s by default. */
    public Builder drainDeadline(Duration value) {
      drainDeadline = value;
      return this;
    }

    /** The clock for timestamps; the bus's clock by default. */
    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    /**
     * Builds the agent, initialized and not yet started.
     *
     * @throws IllegalStateException when it has no handler at all
     */
    public Agent build() {
      if (handlers.isEmpty() && fallback == null && feeds.isEmpty()) {
        throw new IllegalStateException("agent " + name + " has no handler");
      }
      return new DefaultAgent(this);
    }
  }
}
