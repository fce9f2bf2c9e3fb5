package io.phisync.workflow;

import io.phisync.approval.Approvals;
import io.phisync.lock.Lease;
import io.phisync.lock.LockStatus;
import io.phisync.lock.LockTimeoutException;
import io.phisync.lock.Locks;
import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LeaseLostException;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import io.phisync.spi.RevisionLog;
import io.phisync.spi.Transport;
import io.phisync.spi.Wakeup;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable workflow engine over a transport's {@code WORKFLOWS} log: one journal per run, one
 * engine thread per run this process executes, a lease-based lock {@code workflows/<runId>} while
 * it does. Build it through {@code PhiSync.workflows()}.
 */
final class DefaultWorkflows implements Workflows, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkflows.class);

  /** How long {@link #close} waits for the engine threads it halts to end. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  static final String HOST = hostName();

  private final Transport transport;
  private final RevisionLog log;
  private final Clock clock;
  private final Locks locks;
  private final @Nullable Approvals approvals;
  private final Expressions expressions;
  private final Definitions definitions;
  private final Duration lockLease;
  private final Duration viewInterval;
  private final Map<String, RunExecutor> executing = new ConcurrentHashMap<>();

  DefaultWorkflows(
      Transport transport,
      Clock clock,
      Locks locks,
      @Nullable Approvals approvals,
      Expressions expressions,
      Definitions definitions,
      Duration lockLease,
      Duration viewInterval) {
    this.transport = transport;
    this.log = transport.log(LogKind.WORKFLOWS);
    this.clock = clock;
    this.locks = locks;
    this.approvals = approvals;
    this.expressions = expressions;
    this.definitions = definitions;
    this.lockLease = lockLease;
    this.viewInterval = viewInterval;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  Transport transport() {
    return transport;
  }

  RevisionLog log() {
    return log;
  }

  Clock clock() {
    return clock;
  }

  @Nullable Approvals approvals() {
    return approvals;
  }

  Expressions expressions() {
    return expressions;
  }

  Duration viewInterval() {
    return viewInterval;
  }

  // ------------------------------------------------------------------------ definitions

  @Override
  public WorkflowDefinition load(Path file) {
    return definitions.load(file);
  }

  @Override
  public void validate(WorkflowDefinition definition) {
    definitions.validate(definition);
    new Plan(definition);
  }

  // ------------------------------------------------------------------------------- runs

  @Override
  public RunHandle start(WorkflowDefinition definition, JsonNode input, RunOptions options) {
    String runId = create(definition, input, options);
    return execute(runId, options, true);
  }

  @Override
  public String create(WorkflowDefinition definition, JsonNode input, RunOptions options) {
    validate(definition);
    checkOrchestrator(options);
    String runId = RunIds.newRunId();
    createRun(runId, definition, input, options, null, null);
    return runId;
  }

  private void checkOrchestrator(RunOptions options) {
    if (!transport.hasAgent(options.orchestrator())) {
      throw new WorkflowException(
          "there is no agent "
              + options.orchestrator()
              + " to run workflows as; create it (phisync init "
              + options.orchestrator()
              + ") or name another");
    }
  }

  /** Journals RunCreated as revision 1 of {@code runId}; a no-op when it is there already. */
  void createRun(
      String runId,
      WorkflowDefinition definition,
      JsonNode input,
      RunOptions options,
      @Nullable String parentRunId,
      @Nullable String parentStep) {
    ObjectNode created = Journal.entry(Journal.RUN_CREATED, clock.instant());
    created.put("runId", runId);
    created.put("workflow", definition.name());
    created.set("definition", definitions.toJson(definition));
    created.set("input", input == null || input.isNull() ? Json.object() : input);
    created.put("orchestrator", options.orchestrator().value());
    if (parentRunId != null) {
      created.put("parentRunId", parentRunId);
      created.put("parentStep", parentStep);
    }
    log.tryCommit(StateKey.of(runId), 1, created);
  }

  @Override
  public RunHandle resume(String runId, RunOptions options) {
    RunIds.check(runId);
    checkOrchestrator(options);
    RunExecutor local = executing.get(runId);
    if (local != null) {
      return local;
    }
    RunState state = fold(runId).orElseThrow(() -> noSuchRun(runId));
    if (state.status.isDone()) {
      // An orchestrator that died between the run's last entry and its view file left the view
      // behind; nothing executes an ended run again, so bring the view up to date here.
      log.writeView(
          StateKey.of(runId), Json.mapper().writeValueAsBytes(RunState.viewJson(state.view())));
      throw new WorkflowException(
          "run "
              + runId
              + " has ended ("
              + state.status.label()
              + "); to run its failed steps again: phisync workflow retry "
              + runId);
    }
    return execute(runId, options, false);
  }

  /** Runs a sub-workflow's child in this process, unless it already runs here. */
  void executeChild(String childRunId, RunOptions options) {
    if (executing.containsKey(childRunId)) {
      return;
    }
    try {
      execute(childRunId, options.withListener(view -> {}), false);
    } catch (WorkflowException e) {
      // Another live process runs it: the parent just watches its journal.
    }
  }

  private synchronized RunExecutor execute(String runId, RunOptions options, boolean fresh) {
    RunExecutor existing = executing.get(runId);
    if (existing != null) {
      return existing;
    }
    Lease lease = lock(runId, fresh);
    RunState state;
    try {
      state = fold(runId).orElseThrow(() -> noSuchRun(runId));
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    RunExecutor executor = new RunExecutor(this, state, options, lease);
    executing.put(runId, executor);
    Thread thread = new Thread(executor, "phisync-workflow-" + runId);
    thread.setDaemon(true);
    thread.start();
    return executor;
  }

  void finished(RunExecutor executor) {
    executing.remove(executor.runId(), executor);
  }

  /**
   * Takes the run's lock. A holder on this host whose process is gone is released at once; a holder
   * elsewhere is waited out for one lease; a live holder is named in the refusal.
   */
  private Lease lock(String runId, boolean fresh) {
    String name = "workflows/" + runId;
    Optional<Lease> lease = locks.tryAcquire(name, lockLease);
    if (lease.isPresent()) {
      return lease.get();
    }
    LockStatus status = locks.status(name);
    for (int again = 0; again < 3 && !(status instanceof LockStatus.Held); again++) {
      // Released between the two looks: take it now.
      lease = locks.tryAcquire(name, lockLease);
      if (lease.isPresent()) {
        return lease.get();
      }
      status = locks.status(name);
    }
    if (status instanceof LockStatus.Held held) {
      var owner = held.owner();
      boolean here = owner.host().equals(HOST);
      boolean alive = ProcessHandle.of(owner.pid()).map(ProcessHandle::isAlive).orElse(false);
      if (here && !alive) {
        try {
          locks.release(name, owner.token());
        } catch (LeaseLostException e) {
          // Someone else released or took it meanwhile: try again below.
        }
        lease = locks.tryAcquire(name, lockLease);
        if (lease.isPresent()) {
          return lease.get();
        }
      } else if (!here) {
        try {
          return locks.acquire(name, lockLease, owner.lease().plus(owner.lease()));
        } catch (LockTimeoutException e) {
          // Still renewed: it lives.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WorkflowException("interrupted while waiting for run " + runId, e);
        }
      }
      throw new WorkflowException(
          "run "
              + runId
              + " is being executed by pid "
              + owner.pid()
              + " on host "
              + owner.host()
              + " (it holds the lock "
              + name
              + ", lease "
              + owner.lease().toSeconds()
              + " s); wait for it, stop that process, or cancel the run (phisync workflow cancel "
              + runId
              + "). If that process is gone, resume again once its lease has run out.");
    }
    throw new WorkflowException(
        "run " + runId + ": could not take the lock " + name + " (" + status + "); try again");
  }

  @Override
  public RunHandle retry(String runId, @Nullable String fromStep, RunOptions options) {
    RunIds.check(runId);
    checkOrchestrator(options);
    while (true) {
      RunState state = fold(runId).orElseThrow(() -> noSuchRun(runId));
      if (state.status != RunStatus.FAILED && state.status != RunStatus.CANCELED) {
        throw new WorkflowException(
            "run "
                + runId
                + " is "
                + state.status.label()
                + "; only a failed or canceled run can be retried"
                + (state.status.isDone() ? "" : " (to continue it: phisync workflow resume)"));
      }
      if (fromStep != null && !state.plan.has(fromStep)) {
        throw new WorkflowException(
            "run " + runId + " has no step '" + fromStep + "'; its steps are " + state.plan.top());
      }
      ObjectNode entry = Journal.entry(Journal.RETRY_REQUESTED, clock.instant());
      if (fromStep != null) {
        entry.put("fromStep", fromStep);
      }
      if (log.tryCommit(StateKey.of(runId), state.version + 1, entry)) {
        return execute(runId, options, false);
      }
    }
  }

  @Override
  public void cancel(String runId, String reason) {
    RunIds.check(runId);
    while (true) {
      RunState state = fold(runId).orElseThrow(() -> noSuchRun(runId));
      if (state.status.isDone()) {
        throw new WorkflowException(
            "run " + runId + " has ended (" + state.status.label() + "); nothing to cancel");
      }
      if (state.cancelRequested) {
        return;
      }
      ObjectNode entry =
          Journal.entry(Journal.CANCEL_REQUESTED, clock.instant()).put("reason", reason);
      if (log.tryCommit(StateKey.of(runId), state.version + 1, entry)) {
        return;
      }
    }
  }

  @Override
  public Optional<RunView> status(String runId) {
    RunIds.check(runId);
    RunExecutor local = executing.get(runId);
    if (local != null) {
      return Optional.of(local.view());
    }
    return fold(runId).map(RunState::view);
  }

  /** The run's view, cheaply when this process executes it. */
  Optional<RunView> peekRun(String runId) {
    RunExecutor local = executing.get(runId);
    if (local != null) {
      return Optional.of(local.view());
    }
    return fold(runId).map(RunState::view);
  }

  @Override
  public Optional<WorkflowDefinition> definition(String runId) {
    RunIds.check(runId);
    return log.read(StateKey.of(runId), 1)
        .map(
            created -> {
              if (!Journal.RUN_CREATED.equals(Journal.type(created.record()))) {
                throw new WorkflowException(
                    "run " + runId + ": the journal does not start with RunCreated");
              }
              return definitions.fromJson(created.record().path("definition"));
            });
  }

  @Override
  public List<RunView> list() {
    List<RunView> out = new ArrayList<>();
    for (StateKey key : log.keys("run-")) {
      try {
        status(key.value()).ifPresent(out::add);
      } catch (RuntimeException e) {
        // Not a run journal, or unreadable: left out of the list.
      }
    }
    out.sort(Comparator.comparing(RunView::startedAt).reversed());
    return out;
  }

  @Override
  public Optional<RunView> awaitEnd(String runId, Duration wait) throws InterruptedException {
    RunIds.check(runId);
    long deadline = System.nanoTime() + wait.toNanos();
    RunExecutor local = executing.get(runId);
    if (local != null) {
      return local.await(wait).filter(v -> v.status().isDone());
    }
    RunState state = fold(runId).orElseThrow(() -> noSuchRun(runId));
    StateKey key = StateKey.of(runId);
    try (Wakeup wakeup = log.watch(key)) {
      while (true) {
        for (Revision r : log.from(key, state.version + 1)) {
          state.apply(r.record());
        }
        if (state.status.isDone()) {
          return Optional.of(state.view());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        wakeup.await(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
      }
    }
  }

  /** Folds a run's whole journal. */
  Optional<RunState> fold(String runId) {
    StateKey key = StateKey.of(runId);
    List<Revision> revisions = log.from(key, 1);
    if (revisions.isEmpty()) {
      return Optional.empty();
    }
    RunState state = RunState.created(runId, revisions.get(0).record(), definitions::fromJson);
    for (Revision r : revisions.subList(1, revisions.size())) {
      if (r.revision() != state.version + 1) {
        throw new WorkflowException(
            "run " + runId + ": journal entry " + (state.version + 1) + " is missing");
      }
      state.apply(r.record());
    }
    return Optional.of(state);
  }

  private static WorkflowException noSuchRun(String runId) {
    return new WorkflowException(
        "there is no run " + runId + " (phisync workflow list shows them)");
  }

  /** Stops every engine thread of this process without journaling (as a crash would). */
  void halt() {
    executing.values().forEach(RunExecutor::halt);
  }

  /**
   * Stops executing runs in this process, journaling nothing: they stay running in their journals,
   * and any process can resume them. Returns once their engine threads have released the runs'
   * locks and ended (waiting {@link #CLOSE_WAIT} at most), so another process can resume at once
   * and nothing of this engine writes to the root afterwards.
   */
  @Override
  public void close() {
    List<RunExecutor> running = List.copyOf(executing.values());
    running.forEach(RunExecutor::halt);
    // Each engine thread then releases its run's lock and ends: waited for, so nothing of this
    // engine touches the root once the caller goes on to close the transport.
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (RunExecutor executor : running) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.warn("closing: a workflow engine thread has not ended after {}", CLOSE_WAIT);
        return;
      }
      try {
        executor.awaitEnd(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
