package io.phisync.workflow;

import io.phisync.approval.ApprovalOutcome;
import io.phisync.approval.ApprovalRequest;
import io.phisync.lock.Lease;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.protocol.StateKey;
import io.phisync.spi.DuplicateMessageException;
import io.phisync.spi.Durability;
import io.phisync.spi.LeaseLostException;
import io.phisync.spi.LogKind;
import io.phisync.spi.PreparedMessage;
import io.phisync.spi.Revision;
import io.phisync.spi.Transport;
import io.phisync.spi.Wakeup;
import io.phisync.workflow.RunState.Compensation;
import io.phisync.workflow.RunState.StepState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Executes one run on one thread: an event loop of fold → decide → journal → act → wait. Every
 * decision is committed to the journal (one revision, by compare-and-set) before it is acted on; a
 * commit that loses to another writer (a cancel, a retry, another orchestrator) makes the loop read
 * the new entries and decide again. Responses are read without taking them, journaled, and only
 * then taken, so a crash at any instant loses nothing and repeats no completed step.
 */
final class RunExecutor implements Workflows.RunHandle, Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);
  private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
  private static final Duration TIMER_WAIT = Duration.ofMillis(200);

  /** How often every scheduled request's response is looked up in full (a safety net). */
  private static final Duration FULL_LOOK = Duration.ofSeconds(10);

  /** Up to this many requests to one agent are peeked one by one rather than by a listing. */
  private static final int FEW = 4;

  /**
   * At most this many events, or about this many bytes of them, go into one journal entry (an entry
   * must stay far below the readers' limit, docs/PROTOCOL.md section 13).
   */
  static final int MAX_STAGED_EVENTS = 64;

  static final long MAX_STAGED_BYTES = 1L << 20;

  private final DefaultWorkflows engine;
  private final String runId;
  private final StateKey key;
  private final RunOptions options;
  private final String instance;
  private final Transport transport;
  private RunState state;
  private final Lease lease;
  private final CompletableFuture<RunView> done = new CompletableFuture<>();
  private volatile RunView latest;
  private volatile boolean halted;

  /** Guards {@link #awaiting}, so a halt interrupts the engine's thread only while it waits. */
  private final Object waiting = new Object();

  private boolean awaiting; // Guarded by waiting.

  private volatile @Nullable Thread engineThread;

  /** Request ids this process sent or found already sent (so a resume sends each at most once). */
  private final Set<String> sent = new HashSet<>();

  /** Approval requests this process wrote (or rewrote after a resume). */
  private final Set<String> requested = new HashSet<>();

  /** Request ids this process has peeked for in full at least once. */
  private final Set<String> peeked = new HashSet<>();

  private long fullLookNanos = System.nanoTime();

  /** The chunks of planned scatters (derived from journaled outputs, so the same after replay). */
  private final Map<String, List<JsonNode>> chunkItems = new HashMap<>();

  private StepState[] byPosition = new StepState[0];
  private final Map<String, Integer> position = new HashMap<>();
  private final java.util.TreeSet<Integer> candidates = new java.util.TreeSet<>();
  private final java.util.TreeSet<Integer> timed = new java.util.TreeSet<>();
  private final java.util.TreeSet<Integer> active = new java.util.TreeSet<>();
  private final Map<String, StepStatus> counted = new HashMap<>();
  private final Map<String, Integer> openChildren = new HashMap<>();
  private int topNotDone;
  private int topFailing;
  private long candidatesStructure = -1;
  private int candidatesChanges;

  private @Nullable ObjectNode context;
  private long contextVersion = -1;
  private long contextStructure = -1;
  private int contextChanges;
  private boolean viewDirty = true;
  private Instant viewWrittenAt = Instant.EPOCH;
  private long renewedAtNanos = System.nanoTime();

  /** Writes the view files of this JVM's runs (not forced ones) off their engine threads. */
  private static final ExecutorService VIEWS =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "phisync-workflow-views");
            t.setDaemon(true);
            return t;
          });

  /** The newest view handed to {@link #VIEWS} and not written yet. */
  private final AtomicReference<@Nullable RunView> viewToWrite = new AtomicReference<>();

  private final Object viewWriting = new Object();

  /** Set when the engine's thread ends: no view is written after (guarded by viewWriting). */
  private boolean viewsEnded;

  /** The journal version of the last view written (guarded by {@link #viewWriting}). */
  private long viewVersionWritten = -1;

  /**
   * Events applied to {@link #state} but not committed yet: they go into the next journal entry
   * together ({@link #flush}), so a step's completion and the steps it unblocks cost one commit.
   * Nothing they lead to is done before that entry is committed: {@link #afterCommit} holds it.
   */
  private final List<ObjectNode> staged = new ArrayList<>();

  private final List<Runnable> afterCommit = new ArrayList<>();

  /**
   * The requests the staged events send, in order: written while their entry is committed, put in
   * the inboxes once it is (before {@link #afterCommit} runs).
   */
  private final List<Outgoing> outgoing = new ArrayList<>();

  private record Outgoing(AgentName agent, Envelope request) {}

  /**
   * How many of an entry's requests are written while it is committed (in durable mode); the others
   * after it, on the engine's thread: a fan-out's forced writes all on a second thread made its
   * steps slower where measured (BENCHMARKS.md).
   */
  private static final int PREPARED_AHEAD = 2;

  /**
   * Writes the requests of an entry (forced, in durable mode) while the engine's thread commits the
   * entry: the file system then forces both at once, where one after the other a durable step paid
   * for two (BENCHMARKS.md, "A workflow step, timed in place"). One task per entry; shared by the
   * runs of the JVM; daemon threads, ended after a while without work.
   */
  private static final java.util.concurrent.ThreadPoolExecutor PREPARES =
      new java.util.concurrent.ThreadPoolExecutor(
          4,
          4,
          30,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(),
          task -> {
            Thread thread = new Thread(task, "phisync-workflow-requests");
            thread.setDaemon(true);
            return thread;
          });

  static {
    PREPARES.allowCoreThreadTimeOut(true);
  }

  /**
   * What runs after {@link #afterCommit} once the staged events are committed: taking the responses
   * journaled, so the requests the entry sends leave first.
   */
  private final List<Runnable> cleanUp = new ArrayList<>();

  private long stagedBytes;

  /**
   * How many staged events must be committed before the engine acts or waits; the others (a task's
   * StepStarted: the agent claimed it) may wait for the next entry, at most a view interval after
   * {@link #stagedSinceNanos}.
   */
  private int urgent;

  private long stagedSinceNanos;

  /** A flush lost its number to another writer: the state is folded again from the journal. */
  private boolean stale;

  RunExecutor(DefaultWorkflows engine, RunState state, RunOptions options, Lease lease) {
    this.engine = engine;
    this.runId = state.runId;
    this.key = StateKey.of(runId);
    this.state = state;
    this.options = options;
    this.lease = lease;
    this.transport = engine.transport();
    this.instance = Long.toHexString(options.random().nextLong());
    this.latest = state.view();
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public RunView view() {
    return latest;
  }

  @Override
  public Optional<RunView> await(Duration wait) throws InterruptedException {
    try {
      return Optional.of(done.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new WorkflowException("run " + runId + ": the engine stopped: " + e.getCause(), e);
    }
  }

  boolean isDone() {
    return done.isDone();
  }

  /**
   * Waits up to {@code wait} for the engine's thread to end, however it ended; at once when called
   * on that thread (a listener that closes the engine).
   */
  void awaitEnd(Duration wait) throws InterruptedException {
    if (Thread.currentThread() == engineThread) {
      return;
    }
    try {
      done.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Still running (the caller gives up), or ended by an error it reported itself.
    }
  }

  /** Stops executing without journaling anything, as a crash would (tests; shutdown). */
  void halt() {
    synchronized (waiting) {
      halted = true;
      Thread engine = engineThread;
      if (awaiting && engine != null) {
        engine.interrupt(); // Only while it waits for a wake-up: never inside a file operation.
      }
    }
  }

  /** Waits for a wake-up; a {@link #halt} meanwhile ends the wait at once (false). */
  private boolean awaitWakeup(Wakeup wakeup, Duration max) throws InterruptedException {
    synchronized (waiting) {
      if (halted) {
        return false;
      }
      awaiting = true;
    }
    try {
      wakeup.await(max);
      return true;
    } catch (InterruptedException e) {
      if (!halted) {
        throw e;
      }
      return false;
    } finally {
      synchronized (waiting) {
        awaiting = false;
        if (halted) {
          Thread.interrupted(); // The halt's, not the caller's.
        }
      }
    }
  }

  // ------------------------------------------------------------------------------ the loop

  @Override
  public void run() {
    engineThread = Thread.currentThread();
    Thread.currentThread().setName("phisync-workflow-" + runId);
    Wakeup wakeup = null;
    // The handle completes only after the lease is released and the engine forgot this executor,
    // so whoever awaited it can resume, retry or cancel the run at once.
    Runnable outcome = () -> done.complete(latest);
    try {
      catchUp();
      if (!state.status.isDone()) {
        ObjectNode attached = entry(Journal.ORCHESTRATOR_ATTACHED);
        attached.put("pid", ProcessHandle.current().pid());
        attached.put("host", DefaultWorkflows.HOST);
        attached.put("instance", instance);
        attached.put("orchestrator", options.orchestrator().value());
        while (!commit(attached)) {
          reload();
        }
      }
      Set<String> watched = null;
      boolean look = true;
      while (!halted) {
        if (stale) {
          reload();
        }
        if (staged.isEmpty()) {
          catchUp(); // (With events staged, a flush that loses tells whether someone appended.)
        }
        if (state.status.isDone()) {
          if (flush()) {
            break;
          }
          continue;
        }
        if (state.attachedInstance != null && !instance.equals(state.attachedInstance)) {
          LOG.warn("run {}: another orchestrator attached; this one stops (fenced)", runId);
          break;
        }
        renewLease();
        if (decide()) {
          continue;
        }
        if (urgent > 0 && !flush()) {
          continue; // Committed nothing: fold again and decide again.
        }
        if (look) {
          // Responses, claims and decisions are looked for once per wake-up (or due deadline),
          // not after every commit: a wide fan-out would otherwise cost n stats per response.
          look = false;
          if (observe()) {
            look = true;
            continue;
          }
        }
        if (!staged.isEmpty() && lazyWait().isZero() && !flush()) {
          continue;
        }
        refreshView(false);
        Set<String> keys = activeChildren();
        keys.add(runId);
        if (wakeup == null || !keys.equals(watched)) {
          if (wakeup != null) {
            wakeup.close();
          }
          wakeup =
              transport.watchAll(
                  agentsOf(state.plan),
                  LogKind.WORKFLOWS,
                  keys.stream().map(StateKey::of).toList());
          watched = keys;
          look = true;
          continue; // Look once more: a change before the watch began is not signalled.
        }
        if (!awaitWakeup(wakeup, nextWait())) {
          break; // Halted.
        }
        look = true;
      }
      if (!halted) {
        refreshView(true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = () -> done.completeExceptionally(e);
    } catch (Halted h) {
      // As a crash: the handle gives the last view.
    } catch (RuntimeException | Error e) {
      LOG.error("run {}: the engine stopped", runId, e);
      outcome = () -> done.completeExceptionally(e);
    } finally {
      try {
        synchronized (viewWriting) {
          viewsEnded = true; // A view write under way ends first; none starts after.
        }
        if (wakeup != null) {
          wakeup.close();
        }
        lease.close();
      } finally {
        engine.finished(this);
        outcome.run();
      }
    }
  }

  private void renewLease() {
    long interval = lease.owner().lease().toNanos() / 3;
    if (System.nanoTime() - renewedAtNanos < interval) {
      return;
    }
    try {
      lease.renew();
      renewedAtNanos = System.nanoTime();
    } catch (LeaseLostException e) {
      throw new WorkflowException(
          "run " + runId + ": this orchestrator lost its lock (paused too long?); it stops", e);
    }
  }

  private Duration nextWait() {
    Instant now = engine.clock().instant();
    Instant next = null;
    boolean approvals = false;
    for (StepState s : activeSteps()) {
      next = earliest(next, s.status == StepStatus.UP_FOR_RETRY ? s.retryAt : null);
      next = earliest(next, s.status == StepStatus.RUNNING && s.fireAt != null ? s.fireAt : null);
      next = earliest(next, s.compensation == Compensation.UP_FOR_RETRY ? s.compRetryAt : null);
      if (s.status == StepStatus.WAITING_APPROVAL) {
        approvals = true;
        next = earliest(next, s.approvalExpiresAt);
      }
      if (s.status == StepStatus.SCHEDULED) {
        Timeouts t = timeoutsOf(s);
        if (t.scheduleToStart() != null
            || t.startToClose() != null
            || t.scheduleToClose() != null) {
          next = earliest(next, now.plus(TIMER_WAIT));
        }
      }
    }
    Duration wait = IDLE_WAIT;
    if (next != null) {
      // The clock may be a test's: wake often enough to see it moved.
      Duration until = Duration.between(now, next);
      wait = until.compareTo(TIMER_WAIT) < 0 ? until : TIMER_WAIT;
    }
    if (approvals && wait.compareTo(TIMER_WAIT) > 0) {
      wait = TIMER_WAIT;
    }
    if (!staged.isEmpty()) {
      Duration lazy = lazyWait();
      wait = lazy.compareTo(wait) < 0 ? lazy : wait;
    }
    if (viewDirty) {
      Duration untilView = Duration.between(now, viewWrittenAt.plus(engine.viewInterval()));
      wait = untilView.compareTo(wait) < 0 ? untilView : wait;
    }
    return wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
  }

  private static @Nullable Instant earliest(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  // -------------------------------------------------------------------------- the journal

  /** Reads and folds the entries other processes committed since our last one. */
  private void catchUp() {
    for (Revision r : engine.log().from(key, state.version + 1)) {
      if (r.revision() != state.version + 1) {
        throw new WorkflowException(
            "run " + runId + ": journal entry " + (state.version + 1) + " is missing");
      }
      state.apply(r.record());
      viewDirty = true;
      options.listener().accept(latest = state.view());
    }
  }

  /**
   * Commits {@code event} (with any staged before it, in one entry) as the next revision; false
   * when another writer got there first.
   */
  private boolean commit(ObjectNode event) {
    return stage(event, null, false) && flush();
  }

  /** Stages {@code event}, committed before the engine acts or waits; see {@link #stage}. */
  private boolean stage(ObjectNode event, @Nullable Runnable then) {
    return stage(event, then, false);
  }

  /**
   * How long the staged events may still wait for the next entry: zero when they must be committed
   * now (or none are staged).
   */
  private Duration lazyWait() {
    if (staged.isEmpty()) {
      return Duration.ZERO;
    }
    long left = stagedSinceNanos + engine.viewInterval().toNanos() - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /**
   * Applies {@code event} to the state and keeps it for the next entry; {@code then} runs once that
   * entry is committed (never if it is not). Flushes at once when the staged events are many or
   * large. False when the events cannot be committed (a flush lost: the loop folds again).
   */
  private boolean stage(ObjectNode event, @Nullable Runnable then, boolean lazy) {
    return stage(event, then, lazy, null);
  }

  /** Stages {@code event}, and {@code send} to be sent once it is committed; see {@link #stage}. */
  private boolean stage(
      ObjectNode event, @Nullable Runnable then, boolean lazy, @Nullable Outgoing send) {
    if (halted) {
      throw new Halted();
    }
    if (stale) {
      return false;
    }
    state.applyEvent(event);
    if (send != null) {
      outgoing.add(send);
    }
    if (staged.isEmpty()) {
      stagedSinceNanos = System.nanoTime();
    }
    staged.add(event);
    if (!lazy) {
      urgent++;
    }
    if (then != null) {
      afterCommit.add(then);
    }
    stagedBytes += Json.mapper().writeValueAsBytes(event).length;
    if (staged.size() >= MAX_STAGED_EVENTS || stagedBytes >= MAX_STAGED_BYTES) {
      return flush();
    }
    return true;
  }

  /**
   * Commits the staged events as one entry, then runs what waited for it; true when there was
   * nothing to commit (and no flush lost). On a lost number nothing runs and the state is marked
   * {@link #stale}.
   */
  private boolean flush() {
    if (halted) {
      throw new Halted();
    }
    if (staged.isEmpty()) {
      return !stale;
    }
    ObjectNode entry = Journal.combine(staged);
    List<Runnable> then = new ArrayList<>(afterCommit);
    then.addAll(cleanUp);
    List<Outgoing> sends = new ArrayList<>(outgoing);
    staged.clear();
    afterCommit.clear();
    cleanUp.clear();
    outgoing.clear();
    stagedBytes = 0;
    urgent = 0;
    java.util.concurrent.atomic.AtomicBoolean abandoned =
        new java.util.concurrent.atomic.AtomicBoolean();
    // Forced writes are worth a second thread: the file system forces the request and the entry
    // together. Unforced ones cost less than handing them over.
    int ahead =
        transport.durability() == Durability.DURABLE ? Math.min(sends.size(), PREPARED_AHEAD) : 0;
    List<CompletableFuture<PreparedMessage>> prepared = prepare(sends.subList(0, ahead), abandoned);
    try {
      if (!engine.log().tryCommit(key, state.version + 1, entry)) {
        stale = true;
        return false;
      }
      state.version++;
      viewDirty = true;
      latest = state.view();
      options.listener().accept(latest);
      refreshView(state.status.isDone());
      if (halted) {
        throw new Halted(); // As a crash right after the commit: nothing it leads to is done.
      }
      publish(prepared);
      for (Outgoing o : sends.subList(ahead, sends.size())) {
        send(o.agent(), o.request());
      }
      then.forEach(Runnable::run);
      return true;
    } finally {
      // Whatever was not published (a lost number, a halt, a failure) leaves nothing behind, and
      // no write outlives the flush: an engine that closed leaves the root alone.
      abandoned.set(true);
      for (CompletableFuture<PreparedMessage> f : prepared) {
        PreparedMessage message = f.exceptionally(e -> null).join();
        if (message != null) {
          message.close();
        }
      }
    }
  }

  /**
   * Starts writing {@code sends}, in order, on one thread of {@link #PREPARES}: the first is
   * written while the entry is committed, the next while the first is published. Those not started
   * when {@code abandoned} is set end as canceled.
   */
  private List<CompletableFuture<PreparedMessage>> prepare(
      List<Outgoing> sends, java.util.concurrent.atomic.AtomicBoolean abandoned) {
    if (sends.isEmpty()) {
      return List.of();
    }
    List<CompletableFuture<PreparedMessage>> out = new ArrayList<>(sends.size());
    for (int i = 0; i < sends.size(); i++) {
      out.add(new CompletableFuture<>());
    }
    PREPARES.execute(
        () -> {
          for (int i = 0; i < sends.size(); i++) {
            CompletableFuture<PreparedMessage> f = out.get(i);
            if (abandoned.get()) {
              f.cancel(false);
              continue;
            }
            try {
              f.complete(transport.prepare(sends.get(i).agent(), sends.get(i).request()));
            } catch (RuntimeException | Error e) {
              f.completeExceptionally(e);
            }
          }
        });
    return out;
  }

  /** Puts the prepared requests into their inboxes, in order; one already there was sent before. */
  private static void publish(List<CompletableFuture<PreparedMessage>> prepared) {
    for (CompletableFuture<PreparedMessage> f : prepared) {
      PreparedMessage message;
      try {
        message = f.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error r) {
          throw r;
        }
        throw e;
      }
      try {
        message.publish();
      } catch (DuplicateMessageException e) {
        // Already in the inbox: sent before a crash.
      }
    }
  }

  /** After a lost flush: the state again from the journal, and every cache derived from it. */
  private void reload() {
    state =
        engine
            .fold(runId)
            .orElseThrow(() -> new WorkflowException("run " + runId + ": the journal is gone"));
    stale = false;
    candidatesStructure = -1;
    candidatesChanges = 0;
    context = null;
    contextStructure = -1;
    contextChanges = 0;
    viewDirty = true;
    options.listener().accept(latest = state.view());
  }

  /**
   * Writes the view file if it is out of date and was last written a view interval ago, or when
   * {@code force}d (the run ended): forced, on this thread; else on {@link #VIEWS}, off the
   * engine's path (a newer view handed over meanwhile replaces one not written yet).
   */
  private void refreshView(boolean force) {
    Instant now = engine.clock().instant();
    if (!viewDirty
        || (!force && Duration.between(viewWrittenAt, now).compareTo(engine.viewInterval()) < 0)) {
      return;
    }
    viewWrittenAt = now;
    viewDirty = false;
    RunView view = latest;
    if (force) {
      writeView(view, true);
    } else if (viewToWrite.getAndSet(view) == null) {
      VIEWS.execute(
          () -> {
            RunView next = viewToWrite.getAndSet(null);
            try {
              if (next != null) {
                writeView(next, false);
              }
            } catch (RuntimeException e) {
              LOG.warn("run {}: could not write the view file", runId, e);
            }
          });
    }
  }

  /** Writes {@code view} unless a view as new was written (not forced) or the engine halted. */
  private void writeView(RunView view, boolean force) {
    synchronized (viewWriting) {
      long version = view.journalVersion();
      if (halted
          || viewsEnded
          || version < viewVersionWritten
          || (!force && version == viewVersionWritten)) {
        return;
      }
      engine.log().writeView(key, Json.mapper().writeValueAsBytes(RunState.viewJson(view)));
      viewVersionWritten = version;
    }
  }

  /** Thrown out of {@link #commit} once halted: the loop ends as a crash would. */
  private static final class Halted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Halted() {
      super("halted", null, false, false);
    }
  }

  private ObjectNode entry(String type) {
    return Journal.entry(type, engine.clock().instant());
  }

  private ObjectNode stepEntry(String type, String step) {
    return Journal.stepEntry(type, engine.clock().instant(), step);
  }

  // ---------------------------------------------------------------------------- decisions

  /**
   * Makes the next decision that needs no I/O but the journal: cancellation, steps becoming ready,
   * composite steps ending, retries and timers coming due, the run ending. Returns whether it
   * committed something (the loop then folds and decides again).
   */
  private boolean decide() {
    Instant now = engine.clock().instant();
    if (state.cancelRequested) {
      for (StepState s : state.steps.values()) {
        if (!s.status.isDone() && s.status != StepStatus.COMPENSATING) {
          return cancelStep(s);
        }
      }
    }
    refreshCandidates();
    candidates.addAll(timed);
    Integer p = candidates.isEmpty() ? null : candidates.first();
    while (p != null) {
      StepState s = byPosition[p];
      if (examine(s, now)) {
        return true; // It stays a candidate: a commit that lost changed nothing here.
      }
      candidates.remove(p);
      p = candidates.higher(p);
    }
    if (topNotDone > 0) {
      return false;
    }
    boolean failing = topFailing > 0;
    if (!failing && !state.cancelRequested) {
      return complete();
    }
    return endFailed(now);
  }

  /** The decision {@code s} allows now, if any (committed); whether there was one. */
  private boolean examine(StepState s, Instant now) {
    if (isOnFailure(s)) {
      return false;
    }
    if (s.status == StepStatus.PENDING) {
      return readyDecision(s, now);
    } else if (s.status == StepStatus.RUNNING) {
      return compositeDecision(s, now);
    } else if (s.status == StepStatus.UP_FOR_RETRY
        && s.retryAt != null
        && !s.retryAt.isAfter(now)) {
      return start(s, now);
    }
    return false;
  }

  // ---------------------------------------------------- what decide() and observe() look at

  /**
   * Brings the candidates up to date with the steps changed since the last call: a step can only
   * become decidable when it, a step upstream of it, its parent or one of its children changed (or
   * when its time comes: the {@link #timed} ones), so only those are examined again — a step costs
   * the same in a run of ten steps as in one of thousands. A change of structure (a scatter
   * planned, a retry) examines every step again.
   */
  private void refreshCandidates() {
    if (candidatesStructure != state.structure) {
      byPosition = state.steps.values().toArray(StepState[]::new);
      position.clear();
      candidates.clear();
      timed.clear();
      active.clear();
      counted.clear();
      openChildren.clear();
      topNotDone = 0;
      topFailing = 0;
      for (int i = 0; i < byPosition.length; i++) {
        position.put(byPosition[i].id, i);
        candidates.add(i);
        classify(byPosition[i], i);
        count(byPosition[i]);
      }
      candidatesStructure = state.structure;
      candidatesChanges = state.changes.size();
      return;
    }
    for (int i = candidatesChanges; i < state.changes.size(); i++) {
      StepState s = state.changes.get(i);
      touch(s.id);
      for (String d : state.plan.downstream(s.id)) {
        touch(d);
      }
      List<String> children = childIds(s);
      if (children != null) {
        children.forEach(this::touch);
      }
      if (s.parent != null) {
        touch(s.parent);
        StepState parent = state.step(s.parent);
        if (parent.kind.equals("scatter")
            && ((StepBody.Scatter) state.plan.node(parent.id).step().body()).maxConcurrency() > 0) {
          List<String> chunks = childIds(parent);
          if (chunks != null) {
            chunks.forEach(this::touch); // One ending lets another start.
          }
        }
      }
      Integer p = position.get(s.id);
      if (p != null) {
        classify(s, p);
      }
      count(s);
    }
    candidatesChanges = state.changes.size();
  }

  private void touch(String id) {
    Integer p = position.get(id);
    if (p != null) {
      candidates.add(p);
    }
  }

  /** Notes whether {@code s} waits for a time ({@link #timed}) or the world ({@link #active}). */
  private void classify(StepState s, int p) {
    boolean retryDue = s.status == StepStatus.UP_FOR_RETRY && s.retryAt != null;
    boolean timer = s.status == StepStatus.RUNNING && s.fireAt != null;
    if (retryDue || timer) {
      timed.add(p);
    } else {
      timed.remove(p);
    }
    boolean waits =
        retryDue
            || timer
            || s.status == StepStatus.SCHEDULED
            || s.status == StepStatus.WAITING_APPROVAL
            || (s.status == StepStatus.RUNNING && s.childRunId != null)
            || s.status == StepStatus.COMPENSATING
            || s.compensation == Compensation.UP_FOR_RETRY;
    if (waits) {
      active.add(p);
    } else {
      active.remove(p);
    }
  }

  /**
   * Keeps the counts that spare scans: top-level steps not done and failed, and for each composite
   * its children not done.
   */
  private void count(StepState s) {
    StepStatus before = counted.put(s.id, s.status);
    int open = (s.status.isDone() ? 0 : 1) - (before == null || before.isDone() ? 0 : 1);
    if (s.parent != null) {
      openChildren.merge(s.parent, open, Integer::sum);
    }
    Plan.Node node = state.plan.find(s.id);
    if (node != null && node.block() == Plan.Block.TOP) {
      topNotDone += open;
      topFailing +=
          (s.status.isFailure() || s.status == StepStatus.CANCELED ? 1 : 0)
              - (before != null && (before.isFailure() || before == StepStatus.CANCELED) ? 1 : 0);
    }
  }

  /** The steps waiting on the world or a time, in definition order. */
  private List<StepState> activeSteps() {
    refreshCandidates();
    List<StepState> out = new ArrayList<>(active.size());
    for (int p : active) {
      out.add(byPosition[p]);
    }
    return out;
  }

  private boolean isOnFailure(StepState s) {
    Step onFailure = state.plan.definition().onFailure();
    return onFailure != null && onFailure.id().equals(s.id);
  }

  private boolean cancelStep(StepState s) {
    String approvalNonce = s.status == StepStatus.WAITING_APPROVAL ? s.nonce : null;
    String child = s.status == StepStatus.RUNNING ? s.childRunId : null;
    if (!commit(stepEntry(Journal.STEP_CANCELED, s.id))) {
      return true;
    }
    if (approvalNonce != null && engine.approvals() != null) {
      try {
        engine.approvals().close(approvalRequest(s, approvalNonce), "canceled");
      } catch (RuntimeException e) {
        LOG.warn("run {}: could not close the approval request of {}", runId, s.id, e);
      }
    }
    if (child != null) {
      try {
        engine.cancel(child, "its parent run " + runId + " was canceled");
      } catch (WorkflowException e) {
        LOG.debug("run {}: child {} not canceled: {}", runId, child, e.getMessage());
      }
    }
    return true;
  }

  /** A PENDING step: whether its block is active and what its trigger rule says. */
  private boolean readyDecision(StepState s, Instant now) {
    if (s.parent != null) {
      StepState parent = state.step(s.parent);
      if (parent.status.isDone()) {
        if (state.cancelRequested) {
          return false;
        }
        commit(
            stepEntry(Journal.STEP_SKIPPED, s.id)
                .put("reason", "its parent " + parent.id + " is " + parent.status.label()));
        return true;
      }
      if (parent.status != StepStatus.RUNNING) {
        return false;
      }
      if (parent.kind.equals("condition")) {
        if (parent.branch == null) {
          return false;
        }
        Plan.Block chosen = parent.branch.equals("then") ? Plan.Block.THEN : Plan.Block.ELSE;
        if (state.plan.node(s.id).block() != chosen) {
          commit(stepEntry(Journal.STEP_SKIPPED, s.id).put("reason", "branch not taken"));
          return true;
        }
      }
      if (parent.kind.equals("scatter")) {
        StepBody.Scatter scatter = (StepBody.Scatter) state.plan.node(parent.id).step().body();
        if (scatter.maxConcurrency() > 0 && inFlightChunks(parent) >= scatter.maxConcurrency()) {
          return false;
        }
        return start(s, now);
      }
    }
    if (state.cancelRequested) {
      return false;
    }
    Plan.Node node = state.plan.node(s.id);
    List<StepStatus> upstream = new ArrayList<>();
    for (String up : node.upstream()) {
      upstream.add(state.step(up).status);
    }
    TriggerRule rule = node.step().trigger();
    switch (rule.decide(upstream)) {
      case WAIT:
        return false;
      case SKIP:
        commit(stepEntry(Journal.STEP_SKIPPED, s.id).put("reason", "trigger rule " + rule.label()));
        return true;
      case UPSTREAM_FAILED:
        commit(stepEntry(Journal.STEP_UPSTREAM_FAILED, s.id));
        return true;
      case RUN:
      default:
        break;
    }
    String when = node.step().when();
    if (when != null) {
      boolean go;
      try {
        go = engine.expressions().test(when, context());
      } catch (ExpressionException e) {
        commit(failure(s, "TemplateError", "when: " + e.getMessage(), false, true));
        return true;
      }
      if (!go) {
        commit(stepEntry(Journal.STEP_SKIPPED, s.id).put("reason", "when is false: " + when));
        return true;
      }
    }
    return start(s, now);
  }

  private int inFlightChunks(StepState scatter) {
    int n = 0;
    for (int i = 0; i < scatter.chunks; i++) {
      StepStatus status = state.step(RunState.chunkId(scatter.id, i)).status;
      n += status == StepStatus.SCHEDULED || status == StepStatus.UP_FOR_RETRY ? 1 : 0;
    }
    return n;
  }

  /** Starts (or, from UP_FOR_RETRY, starts again) a step of any kind. */
  private boolean start(StepState s, Instant now) {
    StepBody body = bodyOf(s);
    if (body instanceof StepBody.Task task) {
      return schedule(s, task, now);
    }
    if (body instanceof StepBody.Wait wait) {
      Instant fireAt;
      if (wait.duration() != null) {
        fireAt = now.plus(wait.duration());
      } else {
        try {
          JsonNode until =
              engine
                  .expressions()
                  .render(Json.mapper().getNodeFactory().stringNode(wait.until()), context());
          fireAt = Instant.parse(until.asString());
        } catch (RuntimeException e) {
          commit(failure(s, "TemplateError", "until: " + e.getMessage(), false, true));
          return true;
        }
      }
      commit(stepEntry(Journal.TIMER_STARTED, s.id).put("fireAt", fireAt.toString()));
      return true;
    }
    if (body instanceof StepBody.Approval approval) {
      if (engine.approvals() == null) {
        commit(failure(s, "NoApprovals", "this engine has no approvals store", false, true));
        return true;
      }
      byte[] bytes = new byte[16];
      options.random().nextBytes(bytes);
      String nonce = java.util.HexFormat.of().formatHex(bytes);
      ObjectNode requestedEntry =
          stepEntry(Journal.APPROVAL_REQUESTED, s.id)
              .put("nonce", nonce)
              .put("expiresAt", now.plus(approval.timeout()).toString());
      if (commit(requestedEntry)) {
        requestApproval(s);
      }
      return true;
    }
    if (body instanceof StepBody.SubWorkflow sub) {
      int attempt = s.attempt + 1;
      String child = RunIds.childRunId(runId, s.id, attempt);
      JsonNode input;
      try {
        input =
            sub.input() == null
                ? Json.object()
                : engine.expressions().render(sub.input(), context());
      } catch (ExpressionException e) {
        commit(failure(s, "TemplateError", "input: " + e.getMessage(), false, true));
        return true;
      }
      ObjectNode started =
          stepEntry(Journal.CHILD_STARTED, s.id).put("attempt", attempt).put("childRunId", child);
      if (commit(started)) {
        startChild(s, sub, input);
      }
      return true;
    }
    // parallel, pipeline, condition, scatter
    commit(stepEntry(Journal.STEP_STARTED, s.id));
    return true;
  }

  private void startChild(StepState s, StepBody.SubWorkflow sub, JsonNode input) {
    String child = java.util.Objects.requireNonNull(s.childRunId, "childRunId");
    engine.createRun(child, sub.workflow(), input, options, runId, s.id);
    engine.executeChild(child, options);
  }

  /** A RUNNING step: a composite's next move or its end; a timer firing. */
  private boolean compositeDecision(StepState s, Instant now) {
    StepBody body = bodyOf(s);
    if (body instanceof StepBody.Wait) {
      if (s.fireAt != null && !s.fireAt.isAfter(now)) {
        commit(
            stepEntry(Journal.STEP_COMPLETED, s.id)
                .put("attempt", s.attempt)
                .set("output", Json.object().put("firedAt", s.fireAt.toString())));
        return true;
      }
      return false;
    }
    if (body instanceof StepBody.Condition condition && s.branch == null) {
      boolean then;
      try {
        then = engine.expressions().test(condition.condition(), context());
      } catch (ExpressionException e) {
        commit(failure(s, "TemplateError", "if: " + e.getMessage(), false, true));
        return true;
      }
      commit(stepEntry(Journal.CONDITION_CHOSEN, s.id).put("branch", then ? "then" : "else"));
      return true;
    }
    if (body instanceof StepBody.Scatter scatter && s.chunks < 0) {
      List<JsonNode> items;
      try {
        items = items(scatter);
      } catch (RuntimeException e) {
        commit(failure(s, "TemplateError", "items: " + e.getMessage(), false, true));
        return true;
      }
      StepBody.Scatter sized;
      try {
        sized = sized(scatter);
      } catch (RuntimeException e) {
        commit(failure(s, "TemplateError", "partitions: " + e.getMessage(), false, true));
        return true;
      }
      List<JsonNode> chunks = chunk(items, sized);
      if (commit(stepEntry(Journal.SCATTER_PLANNED, s.id).put("chunks", chunks.size()))) {
        chunkItems.put(s.id, chunks);
      }
      return true;
    }
    if (openChildren.getOrDefault(s.id, 0) > 0) {
      return false; // Some child is still going (counted, not scanned).
    }
    List<String> children = childIds(s);
    if (children == null) {
      return false; // A task-like step: observed, not decided.
    }
    Map<String, JsonNode> outputs = new LinkedHashMap<>();
    String failedChild = null;
    for (String id : children) {
      StepState child = state.step(id);
      if (!child.status.isDone()) {
        return false;
      }
      if ((child.status.isFailure() || child.status == StepStatus.CANCELED)
          && failedChild == null) {
        failedChild = id;
      }
      if (child.status == StepStatus.COMPLETED) {
        outputs.put(id, child.output == null ? Json.mapper().nullNode() : child.output);
      }
    }
    if (failedChild != null) {
      StepState f = state.step(failedChild);
      commit(
          failure(
              s,
              "BranchFailed",
              failedChild + " " + f.status.label() + (f.error == null ? "" : ": " + f.error),
              false,
              true));
      return true;
    }
    JsonNode output;
    try {
      output = compositeOutput(s, body, outputs);
    } catch (IllegalArgumentException e) {
      commit(failure(s, "MergeError", String.valueOf(e.getMessage()), false, true));
      return true;
    }
    commit(
        stepEntry(Journal.STEP_COMPLETED, s.id)
            .put("attempt", Math.max(1, s.attempt))
            .set("output", output));
    return true;
  }

  private @Nullable List<String> childIds(StepState s) {
    switch (s.kind) {
      case "parallel":
      case "pipeline":
      case "condition":
        return state.plan.children(s.id);
      case "scatter":
        {
          List<String> out = new ArrayList<>();
          for (int i = 0; i < s.chunks; i++) {
            out.add(RunState.chunkId(s.id, i));
          }
          return out;
        }
      default:
        return null;
    }
  }

  private JsonNode compositeOutput(StepState s, StepBody body, Map<String, JsonNode> outputs) {
    if (body instanceof StepBody.Parallel p) {
      return Merges.merge(p.merge(), outputs);
    }
    if (body instanceof StepBody.Scatter sc) {
      return Merges.merge(sc.merge(), outputs);
    }
    if (body instanceof StepBody.Pipeline) {
      List<JsonNode> values = new ArrayList<>(outputs.values());
      return values.isEmpty() ? Json.mapper().nullNode() : values.get(values.size() - 1);
    }
    // condition: the chosen block's leaves
    Plan.Block chosen = "then".equals(s.branch) ? Plan.Block.THEN : Plan.Block.ELSE;
    List<String> leaves = state.plan.leaves(state.plan.block(s.id, chosen));
    if (leaves.size() == 1) {
      JsonNode only = outputs.get(leaves.get(0));
      return only == null ? Json.mapper().nullNode() : only;
    }
    ObjectNode out = Json.object();
    for (String leaf : leaves) {
      out.set(leaf, outputs.getOrDefault(leaf, Json.mapper().nullNode()));
    }
    return out;
  }

  private List<JsonNode> items(StepBody.Scatter scatter) {
    JsonNode value = engine.expressions().evaluate(scatter.items(), context());
    if (!value.isArray()) {
      throw new ExpressionException(
          "'" + scatter.items() + "' gave " + value.getNodeType() + ", not a list");
    }
    List<JsonNode> out = new ArrayList<>();
    value.forEach(out::add);
    return out;
  }

  /** The scatter with its partitions template rendered (from journaled outputs: replay-safe). */
  private StepBody.Scatter sized(StepBody.Scatter scatter) {
    String template = scatter.partitionsTemplate();
    if (template == null) {
      return scatter;
    }
    JsonNode value =
        engine
            .expressions()
            .render(
                tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(template),
                context());
    int partitions = 0;
    if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToInt()) {
      partitions = value.intValue();
    } else if (value.isString() && value.stringValue().trim().matches("[0-9]{1,9}")) {
      partitions = Integer.parseInt(value.stringValue().trim());
    }
    if (partitions < 1) {
      throw new ExpressionException(
          "'" + template + "' gave " + value + ", not a whole number above 0");
    }
    return new StepBody.Scatter(
        scatter.items(), partitions, 0, scatter.maxConcurrency(), scatter.task(), scatter.merge());
  }

  /** Cuts the items into chunks of consecutive items: {@code partitions} of them, or of a size. */
  static List<JsonNode> chunk(List<JsonNode> items, StepBody.Scatter scatter) {
    List<JsonNode> out = new ArrayList<>();
    int n = items.size();
    if (n == 0) {
      return out;
    }
    int count =
        scatter.partitions() > 0
            ? Math.min(scatter.partitions(), n)
            : (n + scatter.chunkSize() - 1) / Math.max(1, scatter.chunkSize());
    for (int i = 0; i < count; i++) {
      int from = scatter.partitions() > 0 ? (int) ((long) i * n / count) : i * scatter.chunkSize();
      int to =
          scatter.partitions() > 0
              ? (int) ((long) (i + 1) * n / count)
              : Math.min(n, from + scatter.chunkSize());
      ArrayNode chunk = Json.mapper().createArrayNode();
      for (int j = from; j < to; j++) {
        chunk.add(items.get(j));
      }
      out.add(chunk);
    }
    return out;
  }

  // ------------------------------------------------------------------------------ tasks

  private boolean schedule(StepState s, StepBody.Task task, Instant now) {
    int attempt = s.attempt + 1;
    JsonNode payload;
    try {
      payload = renderPayload(s, task);
    } catch (RuntimeException e) {
      commit(failure(s, "TemplateError", "payload: " + e.getMessage(), false, true));
      return true;
    }
    if (!transport.hasAgent(task.agent())) {
      commit(failure(s, "UnknownAgent", "there is no agent " + task.agent(), false, true));
      return true;
    }
    Timeouts timeouts = timeoutsOf(s);
    String requestId = RunIds.requestId(runId, s.id, attempt, false);
    ObjectNode scheduled =
        stepEntry(Journal.STEP_SCHEDULED, s.id)
            .put("attempt", attempt)
            .put("requestId", requestId)
            .put("agent", task.agent().value())
            .put("command", task.command());
    scheduled.set("payload", payload);
    if (timeouts.scheduleToStart() != null) {
      scheduled.put("expiresAt", now.plus(timeouts.scheduleToStart()).toString());
    }
    // Staged: committed with whatever else this decision round stages (the completion that
    // unblocked it, its siblings), and sent only once that entry is committed.
    Instant scheduledAt = Journal.at(scheduled);
    Instant expiresAt = Journal.instant(scheduled, "expiresAt");
    Envelope request =
        request(
            s.id,
            attempt,
            requestId,
            task.agent(),
            task.command(),
            payload,
            scheduledAt,
            expiresAt);
    stage(scheduled, () -> sent.add(requestId), false, new Outgoing(task.agent(), request));
    return true;
  }

  private JsonNode renderPayload(StepState s, StepBody.Task task) {
    if (task.payload() == null) {
      return Json.object();
    }
    ObjectNode ctx = context();
    if (s.parent != null && state.step(s.parent).kind.equals("scatter")) {
      StepState scatter = state.step(s.parent);
      int index = Integer.parseInt(s.id.substring(s.id.lastIndexOf('[') + 1, s.id.length() - 1));
      List<JsonNode> chunks =
          chunkItems.computeIfAbsent(
              scatter.id,
              id ->
                  chunk(
                      items((StepBody.Scatter) state.plan.node(id).step().body()),
                      sized((StepBody.Scatter) state.plan.node(id).step().body())));
      ObjectNode withChunk = Json.object();
      withChunk.setAll(ctx);
      ObjectNode chunk = withChunk.putObject("chunk");
      chunk.set("items", chunks.get(index));
      chunk.put("index", index);
      chunk.put("count", scatter.chunks);
      ctx = withChunk;
    }
    JsonNode out = engine.expressions().render(task.payload(), ctx);
    if (!out.isObject()) {
      throw new ExpressionException("the payload must render to a JSON object, got " + out);
    }
    return out;
  }

  /**
   * Sends a request whose journal entry is committed. Prepared and published, not enqueued: the
   * journal is its durable record, so the request is forced but its place in the inbox is not (a
   * crash of the machine that loses it leaves nothing to find, and a resumed engine sends it
   * again).
   */
  private void send(AgentName agent, Envelope request) {
    try (PreparedMessage message = transport.prepare(agent, request)) {
      message.publish();
    } catch (DuplicateMessageException e) {
      // Already in the inbox: sent before a crash.
    }
  }

  private Envelope request(
      String step,
      int attempt,
      String requestId,
      AgentName agent,
      String command,
      JsonNode payload,
      @Nullable Instant scheduledAt,
      @Nullable Instant expiresAt) {
    ObjectNode body = Json.object().put("command", command);
    payload
        .properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("command")) {
                body.set(e.getKey(), e.getValue());
              }
            });
    Instant at = scheduledAt == null ? engine.clock().instant() : scheduledAt;
    return Envelope.builder()
        .id(MessageId.of(requestId))
        .type(MessageType.REQUEST)
        .from(options.orchestrator())
        .to(agent)
        .timestamp(at.atOffset(ZoneOffset.UTC))
        .correlationId(runId)
        .expiresAt(expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC))
        .headers(
            Map.of(
                "workflowRun", runId,
                "workflowStep", step,
                "workflowAttempt", Integer.toString(attempt)))
        .payload(body)
        .build();
  }

  /**
   * After a resume: whether the request of a scheduled attempt was sent before the crash. Looks
   * where a request goes, in the order it goes there (inbox, claimed, processed, responded), so one
   * moving meanwhile is still found; a request nack'ed back to the inbox keeps its file name, so a
   * re-send then is refused as a duplicate.
   */
  private boolean wasSent(AgentName agent, String requestId) {
    MessageId id = MessageId.of(requestId);
    for (Envelope e : transport.pending(agent)) {
      if (e.id().equals(requestId)) {
        return true;
      }
    }
    return transport.findClaim(agent, id).isPresent()
        || transport.isProcessed(agent, id)
        || transport.peekResponse(agent, id).isPresent();
  }

  private void ensureSent(StepState s) {
    String requestId = s.requestId;
    if (requestId == null || sent.contains(requestId) || s.agent == null) {
      return;
    }
    AgentName agent = AgentName.of(s.agent);
    if (!wasSent(agent, requestId)) {
      LOG.info("run {}: sending {} again (it was journaled but not sent)", runId, requestId);
      send(
          agent,
          request(
              s.id,
              s.attempt,
              requestId,
              agent,
              String.valueOf(s.command),
              s.payload == null ? Json.object() : s.payload,
              s.scheduledAt,
              s.expiresAt));
    }
    sent.add(requestId);
  }

  // ---------------------------------------------------------------------------- observing

  /**
   * Looks at what the world did: responses, claims and deadlines of scheduled attempts, approval
   * decisions, children's ends, compensations. Commits one entry per finding (each response is
   * journaled, then taken). Returns whether it committed anything.
   */
  private boolean observe() {
    Instant now = engine.clock().instant();
    boolean any = false;
    // One look per agent for all its scheduled requests: which have a response waiting, which are
    // claimed. A request not looked up in full yet in this process (or every FULL_LOOK) is peeked
    // on its own too, which also finds a response taken or swept meanwhile.
    Map<AgentName, List<MessageId>> waiting = new LinkedHashMap<>();
    Map<AgentName, List<MessageId>> unclaimed = new LinkedHashMap<>();
    List<StepState> scheduled = new ArrayList<>();
    List<StepState> activeSteps = activeSteps();
    for (StepState s : activeSteps) {
      if (s.status == StepStatus.SCHEDULED && s.agent != null && s.requestId != null) {
        scheduled.add(s);
        AgentName agent = AgentName.of(s.agent);
        MessageId id = MessageId.of(s.requestId);
        waiting.computeIfAbsent(agent, a -> new ArrayList<>()).add(id);
        if (s.claimedAt == null) {
          unclaimed.computeIfAbsent(agent, a -> new ArrayList<>()).add(id);
        }
      }
    }
    Set<MessageId> responded = new HashSet<>();
    Set<MessageId> claimed = new HashSet<>();
    boolean full = System.nanoTime() - fullLookNanos > FULL_LOOK.toNanos();
    if (full) {
      fullLookNanos = System.nanoTime();
    }
    waiting.forEach(
        (agent, ids) -> {
          if (ids.size() <= FEW) {
            responded.addAll(ids); // A few: peeked one by one, as cheap as one listing.
          } else {
            responded.addAll(transport.respondedAmong(agent, ids));
          }
        });
    unclaimed.forEach((agent, ids) -> claimed.addAll(transport.claimedAmong(agent, ids)));
    for (StepState s : scheduled) {
      if (halted) {
        throw new Halted();
      }
      if (s.status != StepStatus.SCHEDULED) {
        continue;
      }
      ensureSent(s);
      MessageId id = MessageId.of(String.valueOf(s.requestId));
      boolean look = full || responded.contains(id) || peeked.add(id.value());
      any |= observeTask(s, now, look, claimed.contains(id));
    }
    for (StepState s : activeSteps) {
      if (halted) {
        throw new Halted();
      }
      switch (s.status) {
        case WAITING_APPROVAL:
          any |= observeApproval(s, now);
          break;
        case RUNNING:
          if (s.childRunId != null) {
            any |= observeChild(s);
          }
          break;
        case COMPENSATING:
          any |= observeCompensation(s, now);
          break;
        default:
          break;
      }
    }
    return any;
  }

  private boolean observeTask(StepState s, Instant now, boolean look, boolean claimed) {
    AgentName agent = AgentName.of(String.valueOf(s.agent));
    MessageId id = MessageId.of(String.valueOf(s.requestId));
    Optional<Envelope> response;
    try {
      response = look ? transport.peekResponse(agent, id) : Optional.empty();
    } catch (MalformedMessageException e) {
      commit(failure(s, "MalformedResponse", String.valueOf(e.getMessage()), false, false));
      return true;
    }
    if (response.isPresent()) {
      Envelope r = response.get();
      String error = errorOf(r);
      // Staged: committed with the decisions it leads to; taken once committed, after the
      // requests of that entry are sent.
      ObjectNode ended =
          error != null
              ? failure(s, errorTypeOf(r), error, false, false)
              : stepEntry(Journal.STEP_COMPLETED, s.id)
                  .put("attempt", s.attempt)
                  .set("output", r.payload() == null ? Json.object() : r.payload());
      if (stage(ended, null)) {
        Runnable taking = () -> take(agent, id);
        if (staged.isEmpty()) {
          taking.run(); // Committed already (the staged events were many).
        } else {
          cleanUp.add(taking);
        }
      }
      return true;
    }
    Timeouts t = timeoutsOf(s);
    if (t.scheduleToClose() != null
        && s.firstScheduledAt != null
        && !s.firstScheduledAt.plus(t.scheduleToClose()).isAfter(now)) {
      commit(
          failure(
              s,
              "Timeout.ScheduleToClose",
              "no response within schedule-to-close " + t.scheduleToClose(),
              true,
              true));
      return true;
    }
    if (s.claimedAt == null && claimed) {
      // The agent took it: the step runs (views say so), and start-to-close counts from here.
      stage(
          stepEntry(Journal.STEP_STARTED, s.id)
              .put("attempt", s.attempt)
              .put("requestId", s.requestId),
          null,
          true); // It may go with the next entry (the completion, most often).
      return true;
    }
    if (t.startToClose() != null || t.scheduleToStart() != null) {
      Instant seen = s.claimedAt;
      if (seen == null
          && t.scheduleToStart() != null
          && s.expiresAt != null
          && !s.expiresAt.isAfter(now)
          && !transport.isProcessed(agent, id)) {
        commit(
            failure(
                s,
                "Timeout.ScheduleToStart",
                "no agent took the request within schedule-to-start " + t.scheduleToStart(),
                true,
                false));
        return true;
      }
      if (seen != null && t.startToClose() != null && !seen.plus(t.startToClose()).isAfter(now)) {
        commit(
            failure(
                s,
                "Timeout.StartToClose",
                "no response within start-to-close " + t.startToClose() + " of the claim",
                true,
                false));
        return true;
      }
    }
    return false;
  }

  private void take(AgentName agent, MessageId id) {
    try {
      transport.removeResponse(agent, id); // Read (peeked) and journaled already.
    } catch (RuntimeException e) {
      LOG.debug("run {}: could not take response {}: {}", runId, id, e.toString());
    }
  }

  private static @Nullable String errorOf(Envelope r) {
    boolean status = r.headers() != null && "error".equals(r.headers().get("status"));
    JsonNode payload = r.payload();
    JsonNode error = payload == null ? null : payload.get("error");
    if (error != null && !error.isNull()) {
      return error.isString() ? error.asString() : error.toString();
    }
    return status ? "the agent answered with an error" : null;
  }

  private static String errorTypeOf(Envelope r) {
    JsonNode type = r.payload() == null ? null : r.payload().get("errorType");
    return type != null && type.isString() && !type.asString().isBlank()
        ? type.asString()
        : "AgentError";
  }

  private boolean observeApproval(StepState s, Instant now) {
    if (engine.approvals() == null || s.nonce == null) {
      return false;
    }
    if (!requested.contains(s.nonce)) {
      requestApproval(s);
    }
    ApprovalRequest request = approvalRequest(s, s.nonce);
    Optional<ApprovalOutcome> outcome = engine.approvals().check(request);
    if (outcome.isPresent() && outcome.get() instanceof ApprovalOutcome.Refused refused) {
      commit(stepEntry(Journal.APPROVAL_REFUSED, s.id).put("reason", refused.reason()));
      return true;
    }
    if (outcome.isPresent() && outcome.get() instanceof ApprovalOutcome.Decided d) {
      boolean committed;
      if (d.approved()) {
        ObjectNode output =
            Json.object()
                .put("approved", true)
                .put("approver", d.approver().value())
                .put("comment", d.comment());
        committed =
            commit(
                stepEntry(Journal.STEP_COMPLETED, s.id)
                    .put("attempt", s.attempt)
                    .set("output", output));
      } else {
        committed =
            commit(
                failure(
                    s,
                    "Rejected",
                    "rejected by "
                        + d.approver()
                        + (d.comment().isEmpty() ? "" : ": " + d.comment()),
                    false,
                    true));
      }
      if (committed) {
        engine.approvals().close(request, d.approved() ? "approved" : "rejected");
      }
      return true;
    }
    if (s.approvalExpiresAt != null && !s.approvalExpiresAt.isAfter(now)) {
      StepBody.Approval approval = (StepBody.Approval) bodyOf(s);
      boolean committed;
      switch (approval.onTimeout()) {
        case SKIP:
          committed =
              commit(stepEntry(Journal.STEP_SKIPPED, s.id).put("reason", "approval expired"));
          break;
        case APPROVE:
          committed =
              commit(
                  stepEntry(Journal.STEP_COMPLETED, s.id)
                      .put("attempt", s.attempt)
                      .set(
                          "output",
                          Json.object()
                              .put("approved", true)
                              .put("byPolicy", true)
                              .put("comment", "expired; approved by policy")));
          break;
        case REJECT:
        default:
          committed =
              commit(
                  failure(
                      s,
                      "ApprovalExpired",
                      "nobody decided by " + s.approvalExpiresAt,
                      false,
                      true));
          break;
      }
      if (committed) {
        engine.approvals().close(request, "expired");
      }
      return true;
    }
    return false;
  }

  private void requestApproval(StepState s) {
    if (engine.approvals() == null || s.nonce == null) {
      return;
    }
    engine.approvals().request(approvalRequest(s, s.nonce));
    requested.add(s.nonce);
  }

  private ApprovalRequest approvalRequest(StepState s, String nonce) {
    StepBody.Approval approval = (StepBody.Approval) bodyOf(s);
    String message;
    JsonNode ctx;
    try {
      JsonNode rendered =
          engine
              .expressions()
              .render(Json.mapper().getNodeFactory().stringNode(approval.message()), context());
      message = rendered.isString() ? rendered.asString() : rendered.toString();
      ctx =
          approval.context() == null
              ? null
              : engine.expressions().render(approval.context(), context());
    } catch (ExpressionException e) {
      message = approval.message();
      ctx = null;
    }
    Instant requestedAt = s.startedAt == null ? engine.clock().instant() : s.startedAt;
    Instant expiresAt =
        s.approvalExpiresAt == null ? requestedAt.plus(approval.timeout()) : s.approvalExpiresAt;
    return new ApprovalRequest(
        runId,
        s.id,
        state.workflow,
        nonce,
        message,
        ctx,
        options.orchestrator(),
        requestedAt,
        expiresAt,
        approval.approvers());
  }

  private boolean observeChild(StepState s) {
    String child = java.util.Objects.requireNonNull(s.childRunId, "childRunId");
    Optional<RunView> view = engine.peekRun(child);
    if (view.isEmpty()) {
      // Journaled ChildStarted, then crashed before creating the child: create it now.
      StepBody.SubWorkflow sub = (StepBody.SubWorkflow) bodyOf(s);
      JsonNode input;
      try {
        input =
            sub.input() == null
                ? Json.object()
                : engine.expressions().render(sub.input(), context());
      } catch (ExpressionException e) {
        commit(failure(s, "TemplateError", "input: " + e.getMessage(), false, true));
        return true;
      }
      startChild(s, sub, input);
      return false;
    }
    RunView v = view.get();
    if (!v.status().isDone()) {
      engine.executeChild(child, options); // After a resume: this process runs the child too.
      return false;
    }
    if (v.status() == RunStatus.COMPLETED) {
      commit(
          stepEntry(Journal.STEP_COMPLETED, s.id)
              .put("attempt", s.attempt)
              .set("output", v.output() == null ? Json.mapper().nullNode() : v.output()));
    } else {
      commit(
          failure(
              s,
              "ChildFailed",
              "child run "
                  + child
                  + " "
                  + v.status().label()
                  + (v.error() == null ? "" : ": " + v.error()),
              false,
              false));
    }
    return true;
  }

  private Set<String> activeChildren() {
    Set<String> out = new LinkedHashSet<>();
    for (StepState s : activeSteps()) {
      if (s.status == StepStatus.RUNNING && s.childRunId != null) {
        out.add(s.childRunId);
      }
    }
    return out;
  }

  /**
   * A failure of the current attempt: up for retry (retryAt journaled, drawn once with the run's
   * random) or final.
   */
  private ObjectNode failure(
      StepState s, String errorType, String message, boolean timedOut, boolean nonRetryable) {
    Instant now = engine.clock().instant();
    ObjectNode out =
        stepEntry(Journal.STEP_FAILED, s.id)
            .put("attempt", s.attempt)
            .put("status", timedOut ? "timed-out" : "failed")
            .put("errorType", errorType)
            .put("error", message);
    Retry retry = retryOf(s);
    boolean task = bodyOf(s) instanceof StepBody.Task || bodyOf(s) instanceof StepBody.SubWorkflow;
    if (task
        && !nonRetryable
        && !state.cancelRequested
        && !retry.nonRetryableErrors().contains(errorType)
        && retry.allowsAttemptAfter(Math.max(1, s.attempt))) {
      Instant retryAt =
          now.plus(retry.delayAfter(Math.max(1, s.attempt), options.random().nextDouble()));
      Timeouts t = timeoutsOf(s);
      boolean pastDeadline =
          t.scheduleToClose() != null
              && s.firstScheduledAt != null
              && !retryAt.isBefore(s.firstScheduledAt.plus(t.scheduleToClose()));
      if (!pastDeadline) {
        out.put("retryAt", retryAt.toString());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------ the run's end

  private boolean complete() {
    JsonNode output;
    JsonNode template = state.plan.definition().output();
    try {
      if (template != null) {
        output = engine.expressions().render(template, context());
      } else {
        ObjectNode leaves = Json.object();
        for (String id : state.plan.leaves(state.plan.top())) {
          StepState s = state.step(id);
          leaves.set(id, s.output == null ? Json.mapper().nullNode() : s.output);
        }
        output = leaves;
      }
    } catch (ExpressionException e) {
      commit(entry(Journal.RUN_FAILED).put("error", "output: " + e.getMessage()));
      return true;
    }
    commit(entry(Journal.RUN_COMPLETED).set("output", output));
    return true;
  }

  /**
   * The failure (or cancel) path: compensations of completed steps in reverse completion order, one
   * at a time; then the onFailure step (not after a cancel); then RunFailed or RunCanceled.
   */
  private boolean endFailed(Instant now) {
    List<String> order = new ArrayList<>(state.completionOrder);
    java.util.Collections.reverse(order);
    for (String id : order) {
      StepState s = state.step(id);
      Step step = state.plan.has(id) ? state.plan.node(id).step() : null;
      if (step == null || step.compensate() == null) {
        continue;
      }
      switch (s.compensation) {
        case DONE:
        case FAILED:
          continue;
        case SCHEDULED:
          return false; // Observed until it ends.
        case UP_FOR_RETRY:
          if (s.compRetryAt != null && s.compRetryAt.isAfter(now)) {
            return false;
          }
          return scheduleCompensation(s, step.compensate(), s.compAttempt + 1);
        case NONE:
        default:
          return scheduleCompensation(s, step.compensate(), s.compAttempt + 1);
      }
    }
    Step onFailure = state.plan.definition().onFailure();
    if (onFailure != null && !state.cancelRequested) {
      StepState s = state.step(onFailure.id());
      if (s.status == StepStatus.PENDING) {
        return start(s, now);
      }
      if (s.status == StepStatus.UP_FOR_RETRY) {
        return s.retryAt != null && !s.retryAt.isAfter(now) && start(s, now);
      }
      if (s.status == StepStatus.RUNNING) {
        return compositeDecision(s, now);
      }
      if (!s.status.isDone()) {
        return false;
      }
    }
    if (state.cancelRequested) {
      commit(
          entry(Journal.RUN_CANCELED)
              .put("reason", state.cancelReason == null ? "canceled" : state.cancelReason));
    } else {
      ObjectNode error = errorObject();
      commit(
          entry(Journal.RUN_FAILED)
              .put(
                  "error",
                  "step "
                      + error.path("step").asString()
                      + " "
                      + error.path("errorType").asString()
                      + ": "
                      + error.path("message").asString()));
    }
    return true;
  }

  private boolean scheduleCompensation(StepState s, StepBody.Task task, int attempt) {
    JsonNode payload;
    try {
      payload =
          task.payload() == null
              ? Json.object()
              : engine.expressions().render(task.payload(), context());
    } catch (ExpressionException e) {
      commit(
          stepEntry(Journal.COMPENSATION_FAILED, s.id)
              .put("attempt", attempt)
              .put("error", "TemplateError: " + e.getMessage()));
      return true;
    }
    String requestId = RunIds.requestId(runId, s.id, attempt, true);
    ObjectNode scheduled =
        stepEntry(Journal.COMPENSATION_SCHEDULED, s.id)
            .put("attempt", attempt)
            .put("requestId", requestId)
            .put("agent", task.agent().value())
            .put("command", task.command());
    scheduled.set("payload", payload);
    if (commit(scheduled)) {
      if (!transport.hasAgent(task.agent())) {
        commit(
            stepEntry(Journal.COMPENSATION_FAILED, s.id)
                .put("attempt", attempt)
                .put("error", "UnknownAgent: there is no agent " + task.agent()));
        return true;
      }
      send(
          task.agent(),
          request(
              s.id,
              attempt,
              requestId,
              task.agent(),
              task.command(),
              payload,
              s.compScheduledAt,
              null));
      sent.add(requestId);
    }
    return true;
  }

  private boolean observeCompensation(StepState s, Instant now) {
    if (s.compensation != Compensation.SCHEDULED || s.compRequestId == null) {
      return false;
    }
    StepBody.Task task = java.util.Objects.requireNonNull(stepOf(s).compensate(), "compensate");
    AgentName agent = task.agent();
    MessageId id = MessageId.of(s.compRequestId);
    if (!sent.contains(s.compRequestId)) {
      if (!wasSent(agent, s.compRequestId)) {
        JsonNode payload;
        try {
          payload =
              task.payload() == null
                  ? Json.object()
                  : engine.expressions().render(task.payload(), context());
        } catch (ExpressionException e) {
          payload = Json.object();
        }
        send(
            agent,
            request(
                s.id,
                s.compAttempt,
                s.compRequestId,
                agent,
                task.command(),
                payload,
                s.compScheduledAt,
                null));
      }
      sent.add(s.compRequestId);
    }
    Optional<Envelope> response;
    try {
      response = transport.peekResponse(agent, id);
    } catch (MalformedMessageException e) {
      response = Optional.empty();
    }
    Timeouts t = timeoutsOf(s);
    String error = null;
    if (response.isPresent()) {
      error = errorOf(response.get());
      if (error == null) {
        if (commit(stepEntry(Journal.COMPENSATION_COMPLETED, s.id))) {
          take(agent, id);
        }
        return true;
      }
    } else if (t.startToClose() != null
        && s.compScheduledAt != null
        && !s.compScheduledAt.plus(t.startToClose()).isAfter(now)) {
      error = "Timeout.StartToClose: no response within " + t.startToClose();
    } else {
      return false;
    }
    ObjectNode failed =
        stepEntry(Journal.COMPENSATION_FAILED, s.id)
            .put("attempt", s.compAttempt)
            .put("error", error);
    Retry retry = retryOf(s);
    if (retry.allowsAttemptAfter(s.compAttempt)) {
      failed.put(
          "retryAt",
          now.plus(retry.delayAfter(s.compAttempt, options.random().nextDouble())).toString());
    }
    if (commit(failed)) {
      take(agent, id);
    }
    return true;
  }

  /** The first failure of the run, for onFailure's {@code error} and RunFailed. */
  private ObjectNode errorObject() {
    StepState first = null;
    for (StepState s : state.steps.values()) {
      if ((s.status == StepStatus.FAILED || s.status == StepStatus.TIMED_OUT)
          && !"BranchFailed".equals(s.errorType)
          && (first == null
              || (s.endedAt != null
                  && first.endedAt != null
                  && s.endedAt.isBefore(first.endedAt)))) {
        first = s;
      }
    }
    if (first == null) {
      for (StepState s : state.steps.values()) {
        if (s.status.isFailure() || s.status == StepStatus.CANCELED) {
          first = s;
          break;
        }
      }
    }
    ObjectNode out = Json.object();
    out.put("step", first == null ? "" : first.id);
    out.put(
        "errorType",
        first == null || first.errorType == null
            ? (first == null ? "" : first.status.label())
            : first.errorType);
    out.put("message", first == null || first.error == null ? "" : first.error);
    return out;
  }

  // ------------------------------------------------------------------------------ context

  /**
   * The expression context, kept up to date incrementally: only the steps changed since the last
   * call are written again (all of them after a change of the steps' structure), so a step costs
   * the same in a run of ten steps as in one of thousands. The engine thread alone reads and
   * changes it.
   */
  private ObjectNode context() {
    if (context != null && contextVersion == state.events) {
      return context;
    }
    ObjectNode ctx = context;
    if (ctx == null || contextStructure != state.structure) {
      ctx = Json.object();
      ctx.set("input", state.input);
      ObjectNode steps = ctx.putObject("steps");
      for (StepState s : state.steps.values()) {
        putStep(steps, s);
      }
      ctx.putObject("run").put("id", runId).put("workflow", state.workflow);
      contextStructure = state.structure;
    } else {
      ObjectNode steps = (ObjectNode) ctx.get("steps");
      for (int i = contextChanges; i < state.changes.size(); i++) {
        putStep(steps, state.changes.get(i));
      }
    }
    contextChanges = state.changes.size();
    if (state.status != RunStatus.RUNNING || state.anyFailure) {
      ctx.set("error", errorObject());
      ArrayNode failures = ctx.putArray("compensationFailures");
      state.compensationFailures.forEach(failures::add);
    } else {
      ctx.remove("error");
      ctx.remove("compensationFailures");
    }
    context = ctx;
    contextVersion = state.events;
    return ctx;
  }

  private static void putStep(ObjectNode steps, StepState s) {
    if (s.status == StepStatus.PENDING && s.attempt == 0) {
      steps.remove(s.id);
      return;
    }
    ObjectNode step = Json.object();
    step.set("output", s.output == null ? Json.mapper().nullNode() : s.output);
    step.put("status", s.shown().label());
    step.put("attempt", s.attempt);
    step.put("error", s.error);
    steps.set(s.id, step);
  }

  // ------------------------------------------------------------------------------ helpers

  private StepBody bodyOf(StepState s) {
    Plan.Node node = state.plan.find(s.id);
    if (node != null) {
      return node.step().body();
    }
    return ((StepBody.Scatter) stepOf(s).body()).task();
  }

  /** The step of {@code s}: for a scatter chunk, the scatter (its retry and timeouts apply). */
  private Step stepOf(StepState s) {
    Plan.Node node = state.plan.find(s.id);
    if (node != null) {
      return node.step();
    }
    return state.plan.node(java.util.Objects.requireNonNull(s.parent, s.id)).step();
  }

  private Retry retryOf(StepState s) {
    Step step = stepOf(s);
    return step.retry() != null ? step.retry() : state.plan.definition().defaults().retry();
  }

  private Timeouts timeoutsOf(StepState s) {
    Step step = stepOf(s);
    return step.timeouts() != null
        ? step.timeouts()
        : state.plan.definition().defaults().timeouts();
  }

  private Set<AgentName> agentsOf(Plan plan) {
    Set<AgentName> out = new LinkedHashSet<>();
    for (Plan.Node node : plan.nodesInOrder()) {
      StepBody body = node.step().body();
      if (body instanceof StepBody.Task t) {
        out.add(t.agent());
      } else if (body instanceof StepBody.Scatter sc) {
        out.add(sc.task().agent());
      }
      if (node.step().compensate() != null) {
        out.add(node.step().compensate().agent());
      }
    }
    out.removeIf(agent -> !transport.hasAgent(agent));
    return out;
  }
}
