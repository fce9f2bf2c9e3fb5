package io.phisync.workflow;

import static io.phisync.workflow.Journal.at;
import static io.phisync.workflow.Journal.instant;
import static io.phisync.workflow.Journal.text;

import io.phisync.protocol.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state of a run as a fold of its journal: {@link #apply} one entry at a time, in revision
 * order. Nothing here reads a clock, a file or a random source, so replaying the same entries gives
 * the same state in any process — which is what makes a resume continue exactly where the run was.
 * Not thread-safe: one engine thread owns an instance.
 */
final class RunState {

  /** How far a completed step's compensation got. */
  enum Compensation {
    NONE,
    SCHEDULED,
    UP_FOR_RETRY,
    DONE,
    FAILED
  }

  /** One step (or scatter chunk) of the run. */
  static final class StepState {
    final String id;
    final String kind;
    final @Nullable String parent;
    StepStatus status = StepStatus.PENDING;
    int attempt;
    @Nullable String requestId;
    @Nullable String agent;
    @Nullable String command;
    @Nullable JsonNode payload;
    @Nullable Instant scheduledAt;
    @Nullable Instant firstScheduledAt;
    @Nullable Instant expiresAt;
    @Nullable Instant retryAt;
    @Nullable JsonNode output;
    @Nullable String error;
    @Nullable String errorType;
    @Nullable String reason;
    @Nullable Instant startedAt;
    @Nullable Instant endedAt;
    @Nullable String childRunId;
    @Nullable Instant fireAt;
    @Nullable String nonce;
    @Nullable Instant approvalExpiresAt;
    int chunks = -1;
    @Nullable String branch;
    Compensation compensation = Compensation.NONE;
    int compAttempt;
    @Nullable String compRequestId;
    @Nullable Instant compScheduledAt;
    @Nullable Instant compRetryAt;

    /** When the agent was seen to claim the current attempt's request (journaled StepStarted). */
    @Nullable Instant claimedAt;

    StepState(String id, String kind, @Nullable String parent) {
      this.id = id;
      this.kind = kind;
      this.parent = parent;
    }

    void reset() {
      status = StepStatus.PENDING;
      requestId = null;
      retryAt = null;
      output = null;
      error = null;
      errorType = null;
      reason = null;
      endedAt = null;
      fireAt = null;
      nonce = null;
      approvalExpiresAt = null;
      childRunId = null;
      compensation = Compensation.NONE;
      compRequestId = null;
      compRetryAt = null;
      claimedAt = null;
    }

    /**
     * The status as views and expressions show it: a scheduled task whose request an agent claimed
     * is running. The engine itself keeps telling the two apart by {@link #claimedAt}.
     */
    StepStatus shown() {
      return status == StepStatus.SCHEDULED && claimedAt != null ? StepStatus.RUNNING : status;
    }
  }

  final String runId;
  final String workflow;
  final JsonNode definitionJson;
  final Plan plan;
  final JsonNode input;
  final String orchestrator;
  final @Nullable String parentRunId;
  final @Nullable String parentStep;
  final Instant createdAt;

  /** More chunks than a journal entry may plan (a hostile entry would otherwise exhaust memory). */
  static final int MAX_CHUNKS = 1_000_000;

  RunStatus status = RunStatus.RUNNING;
  @Nullable JsonNode output;
  @Nullable String error;
  @Nullable Instant endedAt;
  @Nullable String attachedInstance;
  boolean cancelRequested;
  @Nullable String cancelReason;
  final Map<String, StepState> steps = new LinkedHashMap<>();
  final List<String> completionOrder = new ArrayList<>();
  final List<String> compensationFailures = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  long version;

  /** Events applied (an entry holds one or more): what caches of derived state key on. */
  long events;

  /**
   * Every change of a step, in order: what the incremental view and expression context catch up on.
   * A change of the steps' set or order (a scatter planned, a retry, the end of the run) bumps
   * {@link #structure} instead, and those rebuild.
   */
  final List<StepState> changes = new ArrayList<>();

  long structure;

  /** Whether a step has ended in failure since the run (re)started: sticky until a retry. */
  boolean anyFailure;

  private final List<RunView.StepView> viewSteps = new ArrayList<>();
  private final Map<String, Integer> viewIndex = new java.util.HashMap<>();
  private int viewChangesSeen;
  private long viewStructureSeen = -1;

  private RunState(String runId, ObjectNode created, Plan plan) {
    this.runId = runId;
    this.workflow = created.path("workflow").asString();
    this.definitionJson = created.path("definition");
    this.plan = plan;
    this.input = created.has("input") ? created.get("input") : Json.object();
    this.orchestrator = created.path("orchestrator").asString("");
    this.parentRunId = text(created, "parentRunId");
    this.parentStep = text(created, "parentStep");
    this.createdAt = at(created);
    for (Plan.Node node : plan.nodesInOrder()) {
      steps.put(node.id(), new StepState(node.id(), node.step().kind(), node.parent()));
    }
    this.version = 1;
  }

  /**
   * The state after {@code created} (revision 1), whose definition {@code decode} turns into a
   * definition.
   */
  static RunState created(
      String runId, ObjectNode created, Function<JsonNode, WorkflowDefinition> decode) {
    if (!Journal.RUN_CREATED.equals(Journal.type(created))) {
      throw new WorkflowException(
          "run " + runId + ": the journal does not start with RunCreated but " + created);
    }
    return new RunState(runId, created, new Plan(decode.apply(created.path("definition"))));
  }

  /** The step (or chunk) with this id; it must exist. */
  StepState step(String id) {
    StepState s = steps.get(id);
    if (s == null) {
      throw new IllegalStateException("run " + runId + " has no step " + id);
    }
    return s;
  }

  static String chunkId(String scatter, int index) {
    return scatter + "[" + index + "]";
  }

  /**
   * Applies the entry of revision {@code version + 1}: its own event, then each event of its {@code
   * also} array, in order (docs/PROTOCOL.md section 13).
   */
  void apply(JsonNode entry) {
    version++;
    applyEvent(entry);
    JsonNode also = entry.get(Journal.ALSO);
    if (also == null || also.isNull()) {
      return;
    }
    if (!also.isArray()) {
      throw new WorkflowException("journal entry " + version + ": also is not an array");
    }
    for (JsonNode event : also) {
      if (!event.isObject()) {
        throw new WorkflowException("journal entry " + version + ": also holds a non-object");
      }
      applyEvent(event);
    }
  }

  /**
   * Applies one event without counting a revision: an entry's own event or one of its {@code also}
   * (the engine also applies the events it is about to commit together, see RunExecutor).
   */
  void applyEvent(JsonNode entry) {
    events++;
    String type = Journal.type(entry);
    Instant at = at(entry);
    String stepId = text(entry, "step");
    StepState s = stepId == null ? null : steps.get(stepId);
    applyEntry(entry, type, at, stepId, s);
    if (s != null) {
      changes.add(s);
      anyFailure |= s.status.isFailure();
    }
  }

  private void applyEntry(
      JsonNode entry, String type, Instant at, @Nullable String stepId, @Nullable StepState s) {
    switch (type) {
      case Journal.ORCHESTRATOR_ATTACHED:
        attachedInstance = text(entry, "instance");
        break;
      case Journal.STEP_STARTED:
        if (s != null && entry.has("requestId")) {
          // A task: the agent claimed this attempt's request (a late entry of an older attempt is
          // ignored).
          if (s.status == StepStatus.SCHEDULED
              && java.util.Objects.equals(s.requestId, text(entry, "requestId"))) {
            s.claimedAt = at;
          }
        } else if (s != null) {
          s.status = StepStatus.RUNNING;
          s.startedAt = s.startedAt == null ? at : s.startedAt;
          s.endedAt = null;
        }
        break;
      case Journal.STEP_SCHEDULED:
        if (s != null) {
          s.status = StepStatus.SCHEDULED;
          s.attempt = entry.path("attempt").asInt();
          s.requestId = text(entry, "requestId");
          s.agent = text(entry, "agent");
          s.command = text(entry, "command");
          s.payload = entry.get("payload");
          s.expiresAt = instant(entry, "expiresAt");
          s.scheduledAt = at;
          s.firstScheduledAt = s.firstScheduledAt == null ? at : s.firstScheduledAt;
          s.startedAt = s.startedAt == null ? at : s.startedAt;
          s.retryAt = null;
          s.claimedAt = null;
        }
        break;
      case Journal.SCATTER_PLANNED:
        if (s != null) {
          int n = entry.path("chunks").asInt();
          if (!s.kind.equals("scatter") || n < 0 || n > MAX_CHUNKS) { // A hostile entry: no OOM.
            throw new WorkflowException(
                "journal entry " + version + ": " + s.id + " planned with " + n + " chunks");
          }
          s.chunks = n;
          Map<String, StepState> reordered = new LinkedHashMap<>();
          for (Map.Entry<String, StepState> e : steps.entrySet()) {
            if (e.getValue().parent != null && e.getValue().parent.equals(s.id)) {
              continue; // Chunks go right after their scatter, below.
            }
            reordered.put(e.getKey(), e.getValue());
            if (e.getKey().equals(s.id)) {
              for (int i = 0; i < n; i++) {
                String id = chunkId(s.id, i);
                StepState old = steps.get(id);
                reordered.put(id, old != null ? old : new StepState(id, "task", s.id));
              }
            }
          }
          steps.clear();
          steps.putAll(reordered);
          structure++;
        }
        break;
      case Journal.CONDITION_CHOSEN:
        if (s != null) {
          s.branch = text(entry, "branch");
        }
        break;
      case Journal.TIMER_STARTED:
        if (s != null) {
          s.status = StepStatus.RUNNING;
          s.attempt = Math.max(1, s.attempt);
          s.fireAt = instant(entry, "fireAt");
          s.startedAt = s.startedAt == null ? at : s.startedAt;
        }
        break;
      case Journal.APPROVAL_REQUESTED:
        if (s != null) {
          s.status = StepStatus.WAITING_APPROVAL;
          s.attempt++;
          s.nonce = text(entry, "nonce");
          s.approvalExpiresAt = instant(entry, "expiresAt");
          s.startedAt = s.startedAt == null ? at : s.startedAt;
        }
        break;
      case Journal.APPROVAL_REFUSED:
        notes.add("refused a forged decision for step " + stepId + ": " + text(entry, "reason"));
        break;
      case Journal.CHILD_STARTED:
        if (s != null) {
          s.status = StepStatus.RUNNING;
          s.attempt = entry.path("attempt").asInt();
          s.childRunId = text(entry, "childRunId");
          s.startedAt = s.startedAt == null ? at : s.startedAt;
        }
        break;
      case Journal.STEP_COMPLETED:
        if (s != null) {
          s.status = StepStatus.COMPLETED;
          s.output = entry.get("output");
          s.error = null;
          s.errorType = null;
          s.endedAt = at;
          s.retryAt = null;
          completionOrder.remove(s.id);
          completionOrder.add(s.id);
        }
        break;
      case Journal.STEP_FAILED:
        if (s != null) {
          s.errorType = text(entry, "errorType");
          s.error = text(entry, "error");
          s.retryAt = instant(entry, "retryAt");
          if (s.retryAt != null) {
            s.status = StepStatus.UP_FOR_RETRY;
          } else {
            s.status =
                "timed-out".equals(text(entry, "status"))
                    ? StepStatus.TIMED_OUT
                    : StepStatus.FAILED;
            s.endedAt = at;
          }
        }
        break;
      case Journal.STEP_SKIPPED:
        if (s != null) {
          s.status = StepStatus.SKIPPED;
          s.reason = text(entry, "reason");
          s.endedAt = at;
        }
        break;
      case Journal.STEP_UPSTREAM_FAILED:
        if (s != null) {
          s.status = StepStatus.UPSTREAM_FAILED;
          s.endedAt = at;
        }
        break;
      case Journal.STEP_CANCELED:
        if (s != null) {
          s.status = StepStatus.CANCELED;
          s.endedAt = at;
        }
        break;
      case Journal.COMPENSATION_SCHEDULED:
        if (s != null) {
          s.status = StepStatus.COMPENSATING;
          s.compensation = Compensation.SCHEDULED;
          s.compAttempt = entry.path("attempt").asInt();
          s.compRequestId = text(entry, "requestId");
          s.compScheduledAt = at;
          s.compRetryAt = null;
          status = RunStatus.COMPENSATING;
        }
        break;
      case Journal.COMPENSATION_COMPLETED:
        if (s != null) {
          s.status = StepStatus.COMPENSATED;
          s.compensation = Compensation.DONE;
        }
        break;
      case Journal.COMPENSATION_FAILED:
        if (s != null) {
          s.compRetryAt = instant(entry, "retryAt");
          if (s.compRetryAt != null) {
            s.compensation = Compensation.UP_FOR_RETRY;
          } else {
            s.compensation = Compensation.FAILED;
            s.status = StepStatus.COMPLETED; // Its effect stands: the compensation failed.
            compensationFailures.add(s.id + ": " + text(entry, "error"));
          }
        }
        break;
      case Journal.CANCEL_REQUESTED:
        if (!status.isDone()) {
          cancelRequested = true;
          cancelReason = text(entry, "reason");
        }
        break;
      case Journal.RETRY_REQUESTED:
        retry(text(entry, "fromStep"));
        break;
      case Journal.RUN_COMPLETED:
        status = RunStatus.COMPLETED;
        output = entry.get("output");
        endedAt = at;
        settlePending(at, "not run: the run completed");
        break;
      case Journal.RUN_FAILED:
        status = RunStatus.FAILED;
        error = text(entry, "error");
        endedAt = at;
        settlePending(at, "not run: the run failed");
        break;
      case Journal.RUN_CANCELED:
        status = RunStatus.CANCELED;
        error = text(entry, "reason");
        endedAt = at;
        settlePending(at, "not run: the run was canceled");
        break;
      default:
        // RunCreated again, or an entry type of a later version: nothing this fold knows.
        break;
    }
  }

  /**
   * A run that ended leaves nothing pending: what never ran (the onFailure step of a run that did
   * not fail, or of a canceled one) shows as skipped. A retry makes them pending again.
   */
  private void settlePending(Instant at, String reason) {
    for (StepState s : steps.values()) {
      if (s.status == StepStatus.PENDING) {
        s.status = StepStatus.SKIPPED;
        s.reason = reason;
        s.endedAt = at;
      }
    }
    structure++;
  }

  private void retry(@Nullable String fromStep) {
    Set<String> reset = new HashSet<>();
    if (fromStep != null && steps.containsKey(fromStep)) {
      reset.addAll(plan.fromOnward(fromStep));
      for (String id : List.copyOf(reset)) {
        StepState s = steps.get(id);
        if (s != null && s.chunks >= 0) {
          // A scatter retried from scratch is planned again.
          for (int i = 0; i < s.chunks; i++) {
            steps.remove(chunkId(id, i));
          }
          s.chunks = -1;
        }
        if (s != null) {
          s.branch = null;
        }
      }
    } else {
      for (StepState s : steps.values()) {
        if (s.status != StepStatus.COMPLETED) {
          reset.add(s.id);
        }
      }
    }
    if (plan.definition().onFailure() != null) {
      reset.add(plan.definition().onFailure().id());
    }
    for (StepState s : steps.values()) {
      if (reset.contains(s.id)) {
        s.reset();
      } else if (s.compensation != Compensation.NONE) {
        s.compensation = Compensation.NONE;
        s.status = StepStatus.COMPLETED;
      }
    }
    for (String id : reset) {
      StepState s = steps.get(id);
      String parent = s == null ? null : s.parent;
      while (parent != null) {
        StepState p = steps.get(parent);
        if (p == null || reset.contains(parent)) {
          break;
        }
        p.status = StepStatus.RUNNING;
        p.output = null;
        p.endedAt = null;
        p.error = null;
        p.errorType = null;
        parent = p.parent;
      }
    }
    completionOrder.removeIf(reset::contains);
    compensationFailures.clear();
    status = RunStatus.RUNNING;
    error = null;
    output = null;
    endedAt = null;
    cancelRequested = false;
    cancelReason = null;
    anyFailure = false;
    structure++;
  }

  private static RunView.StepView stepView(StepState s) {
    return new RunView.StepView(
        s.id,
        s.kind,
        s.parent,
        s.shown(),
        s.attempt,
        s.startedAt,
        s.endedAt,
        s.error == null && s.reason != null ? null : s.error,
        s.output);
  }

  /**
   * The run as a {@link RunView}. Incremental: only the steps changed since the last call are
   * viewed again (all of them after a change of structure).
   */
  RunView view() {
    if (viewStructureSeen != structure) {
      viewSteps.clear();
      viewIndex.clear();
      for (StepState s : steps.values()) {
        viewIndex.put(s.id, viewSteps.size());
        viewSteps.add(stepView(s));
      }
      viewStructureSeen = structure;
    } else {
      for (int i = viewChangesSeen; i < changes.size(); i++) {
        StepState s = changes.get(i);
        Integer index = viewIndex.get(s.id);
        if (index != null) {
          viewSteps.set(index, stepView(s));
        }
      }
    }
    viewChangesSeen = changes.size();
    List<RunView.StepView> views = viewSteps;
    return new RunView(
        runId,
        workflow,
        status,
        input,
        output,
        error,
        createdAt,
        endedAt,
        parentRunId,
        views,
        compensationFailures,
        notes,
        version);
  }

  /** The view as the JSON of {@code shared/workflows/<runId>.json}. */
  static ObjectNode viewJson(RunView view) {
    ObjectNode out = Json.object();
    out.put("kind", "phisync.workflow-run/1");
    out.put("runId", view.runId());
    out.put("workflow", view.workflow());
    out.put("status", view.status().label());
    out.set("input", view.input());
    out.set("output", view.output());
    out.put("error", view.error());
    out.put("startedAt", view.startedAt().toString());
    out.put("endedAt", view.endedAt() == null ? null : view.endedAt().toString());
    out.put("parentRunId", view.parentRunId());
    ArrayNode steps = out.putArray("steps");
    for (RunView.StepView s : view.steps()) {
      ObjectNode step = steps.addObject();
      step.put("id", s.id());
      step.put("kind", s.kind());
      step.put("parent", s.parent());
      step.put("status", s.status().label());
      step.put("attempt", s.attempt());
      step.put("startedAt", s.startedAt() == null ? null : s.startedAt().toString());
      step.put("endedAt", s.endedAt() == null ? null : s.endedAt().toString());
      step.put("error", s.error());
      step.set("output", s.output());
    }
    ArrayNode failures = out.putArray("compensationFailures");
    view.compensationFailures().forEach(failures::add);
    ArrayNode notes = out.putArray("notes");
    view.notes().forEach(notes::add);
    out.put("journalVersion", view.journalVersion());
    return out;
  }
}
