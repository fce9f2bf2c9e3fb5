package io.phisync;

import io.phisync.agent.Agent;
import io.phisync.agent.Liveness;
import io.phisync.approval.Approvals;
import io.phisync.approval.ApproverKeys;
import io.phisync.bus.BusOptions;
import io.phisync.bus.MessageBus;
import io.phisync.clock.HybridLogicalClock;
import io.phisync.crdt.store.CrdtStore;
import io.phisync.events.Events;
import io.phisync.events.RetentionPolicy;
import io.phisync.lock.LockOptions;
import io.phisync.lock.Locks;
import io.phisync.protocol.AgentName;
import io.phisync.spi.AgentRecord;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.Durability;
import io.phisync.spi.InboxStats;
import io.phisync.spi.PollingMode;
import io.phisync.spi.TraceEntry;
import io.phisync.spi.Transport;
import io.phisync.state.StateOptions;
import io.phisync.state.StateStore;
import io.phisync.stream.StreamOptions;
import io.phisync.stream.Streams;
import io.phisync.transport.file.FileTransport;
import io.phisync.transport.file.FileTransportConfig;
import io.phisync.workflow.Workflows;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The way in: a coordination root and everything on it.
 *
 * <pre>{@code
 * try (PhiSync phi = PhiSync.open(root)) {
 *   phi.init(PhiSync.DEFAULT_AGENTS);
 *   Envelope response = phi.bus().call(dc, webc, "research", payload, Duration.ofMinutes(10));
 * }
 * }</pre>
 *
 * <p>This class is thread-safe.
 */
public final class PhiSync implements AutoCloseable {
  /** The codex's agents: dc, vssc, kalic, webc, cmdc. */
  public static final List<AgentName> DEFAULT_AGENTS =
      List.of("dc", "vssc", "kalic", "webc", "cmdc").stream().map(AgentName::of).toList();

  /** The environment variable that names the root when none is given. */
  public static final String ROOT_VARIABLE = "PHISYNC_ROOT";

  private final Transport transport;
  private final MessageBus bus;
  private final Path root;
  private final Clock clock;
  private final RetentionPolicy retention;
  private final Duration maxClockOffset;
  private final StateOptions stateOptions;
  private final @Nullable LockOptions lockOptions;
  private final StreamOptions streamOptions;
  private final @Nullable Path approverHome;
  // Built on first use: a command uses one or two of them (the locks' defaults look up the host).
  private @Nullable Events events;
  private @Nullable StateStore state;
  private @Nullable Locks locks;
  private @Nullable Streams streams;
  private @Nullable CrdtStore crdts;
  private @Nullable Approvals approvals;
  private @Nullable Workflows workflows;

  private PhiSync(Builder builder) {
    FileTransportConfig config =
        FileTransportConfig.builder(builder.root)
            .durability(builder.durability)
            .pollingMode(builder.pollingMode)
            .clock(builder.clock)
            .build();
    FileTransport files = FileTransport.open(config);
    this.root = files.root();
    this.transport = files;
    this.clock = builder.clock;
    this.bus = MessageBus.over(transport, builder.bus.toBuilder().clock(builder.clock).build());
    this.retention = builder.retention;
    this.maxClockOffset = builder.maxClockOffset;
    this.stateOptions = builder.stateOptions;
    this.lockOptions = builder.lockOptions;
    this.streamOptions = builder.streamOptions;
    this.approverHome = builder.approverHome;
  }

  /**
   * The approval requests and decisions, verified with the trusted approvers of the approver home
   * ({@link Builder#approverHome}, else {@code PHISYNC_HOME}, else {@code ~/.phisync}).
   *
   * @throws io.phisync.approval.ApprovalException when the home is inside this root
   */
  public synchronized Approvals approvals() {
    if (approvals == null) {
      Path home = approverHome != null ? approverHome : ApproverKeys.defaultHome(System.getenv());
      approvals = Approvals.over(transport.approvals(), ApproverKeys.outside(root, home), clock);
    }
    return approvals;
  }

  /**
   * The durable workflow engine: runs journaled in {@code shared/workflows/}, approvals through
   * {@link #approvals()}. Runs this process executes stop (unjournaled, resumable) on {@link
   * #close()}.
   */
  public synchronized Workflows workflows() {
    if (workflows == null) {
      workflows = Workflows.over(transport, clock, locks(), approvals());
    }
    return workflows;
  }

  /** The state store: versioned documents with compare-and-set. */
  public synchronized StateStore state() {
    StateStore made = state;
    if (made == null) {
      made = StateStore.over(transport, stateOptions, clock);
      state = made;
    }
    return made;
  }

  /** The locks: leases with fencing tokens. */
  public synchronized Locks locks() {
    Locks made = locks;
    if (made == null) {
      made =
          Locks.over(
              transport,
              lockOptions == null ? LockOptions.defaults().withClock(clock) : lockOptions);
      locks = made;
    }
    return made;
  }

  /** The event-sourced streams. */
  public synchronized Streams streams() {
    Streams made = streams;
    if (made == null) {
      made = Streams.over(transport, streamOptions, clock);
      streams = made;
    }
    return made;
  }

  /** Opens a root with the defaults: durable writes, automatic watching or polling. */
  public static PhiSync open(Path root) {
    return builder(root).open();
  }

  /** A builder for a root with non-default settings. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /**
   * The root when none is given: {@code PHISYNC_ROOT}, else {@code C:\PhiVector\ipc} on Windows
   * (the codex's) and {@code ~/.phisync/ipc} elsewhere.
   */
  public static Path defaultRoot() {
    String fromEnv = System.getenv(ROOT_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Paths.get(fromEnv);
    }
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return Paths.get("C:\\PhiVector\\ipc");
    }
    return Paths.get(System.getProperty("user.home"), ".phisync", "ipc");
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  /** The message bus. */
  public MessageBus bus() {
    return bus;
  }

  /** Publish/subscribe: topics, durable subscriptions, retention. */
  public synchronized Events events() {
    Events made = events;
    if (made == null) {
      made = Events.over(transport.events(), clock, retention);
      events = made;
    }
    return made;
  }

  /** The replicated CRDTs: each agent writes its own replica of a key, readers merge. */
  public synchronized CrdtStore crdts() {
    CrdtStore made = crdts;
    if (made == null) {
      made = CrdtStore.over(transport.replicas(), clock, maxClockOffset);
      crdts = made;
    }
    return made;
  }

  /** The transport, for tools that inspect storage directly. */
  public Transport transport() {
    return transport;
  }

  /** A builder for an agent that serves {@code name}'s inbox through this root's bus. */
  public Agent.Builder agent(AgentName name) {
    return Agent.builder(bus, name);
  }

  /** Creates the layout for these agents, keeping what exists. Idempotent. */
  public void init(Collection<AgentName> agents) {
    transport.initialize(agents);
  }

  /**
   * Every agent's status, by name. An agent whose {@code state.json} says running or draining but
   * whose heartbeat is older than three heartbeat intervals is {@code down} ({@link Liveness}).
   */
  public List<AgentStatus> status() {
    Map<String, Long> dead =
        transport.deadLetters().list().stream()
            .collect(Collectors.groupingBy(DeadLetter::agent, Collectors.counting()));
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<AgentStatus> out = new ArrayList<>();
    for (AgentName agent : transport.agents()) {
      AgentRecord record = transport.agentRecord(agent).orElse(null);
      OffsetDateTime beat = record == null ? null : record.lastHeartbeat();
      String status = record == null || record.status() == null ? "unknown" : record.status();
      if (record != null && Liveness.isDown(record.raw(), now)) {
        status = Liveness.DOWN; // Says it runs, but its heartbeat went stale.
      }
      InboxStats stats = transport.stats(agent);
      out.add(
          new AgentStatus(
              agent,
              status,
              beat,
              beat == null ? null : Duration.between(beat, now),
              stats.pending(),
              stats.claimed(),
              dead.getOrDefault(agent.value(), 0L).intValue()));
    }
    return out;
  }

  /** Every stored message with this id, correlation id or causation id, oldest first. */
  public List<TraceEntry> trace(String id) {
    return transport.trace(id);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (workflows instanceof AutoCloseable engine) {
        try {
          engine.close();
        } catch (Exception e) {
          // Stopping engine threads does not fail.
        }
      }
    }
    bus.close();
  }

  /** Builds a {@link PhiSync} with non-default settings. */
  public static final class Builder {
    private final Path root;
    private Durability durability = Durability.DURABLE;
    private PollingMode pollingMode = PollingMode.AUTO;
    private BusOptions bus = BusOptions.defaults();
    private Clock clock = Clock.systemDefaultZone();
    private RetentionPolicy retention = RetentionPolicy.defaults();
    private StateOptions stateOptions = StateOptions.defaults();
    private StreamOptions streamOptions = StreamOptions.defaults();
    private @Nullable LockOptions lockOptions;
    private Duration maxClockOffset = HybridLogicalClock.DEFAULT_MAX_OFFSET;
    private @Nullable Path approverHome;

    private Builder(Path root) {
      this.root = root;
    }

    public Builder durability(Durability value) {
      durability = value;
      return this;
    }

    public Builder pollingMode(PollingMode value) {
      pollingMode = value;
      return this;
    }

    public Builder bus(BusOptions value) {
      bus = value;
      return this;
    }

    public Builder bus(Function<BusOptions.Builder, BusOptions.Builder> customize) {
      bus = customize.apply(bus.toBuilder()).build();
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    /** How long events are kept (default 7 days, 100,000 per topic). */
    public Builder retention(RetentionPolicy value) {
      retention = value;
      return this;
    }

    public Builder state(StateOptions value) {
      stateOptions = value;
      return this;
    }

    public Builder streams(StreamOptions value) {
      streamOptions = value;
      return this;
    }

    public Builder locks(LockOptions value) {
      lockOptions = value;
      return this;
    }

    /**
     * How far ahead of this host's clock a hybrid logical clock timestamp in a CRDT replica may be
     * (default one minute); a replica further ahead makes updates of its key fail.
     */
    public Builder maxClockOffset(Duration value) {
      maxClockOffset = value;
      return this;
    }

    /**
     * Where the approver keys and trusted approvers are (default: {@code PHISYNC_HOME}, else {@code
     * ~/.phisync}); it must be outside the root.
     */
    public Builder approverHome(Path value) {
      approverHome = value;
      return this;
    }

    public PhiSync open() {
      return new PhiSync(this);
    }
  }
}
