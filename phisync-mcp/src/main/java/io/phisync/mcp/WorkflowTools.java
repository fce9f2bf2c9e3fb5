package io.phisync.mcp;

import io.phisync.approval.ApprovalRequest;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.workflow.RunOptions;
import io.phisync.workflow.RunStatus;
import io.phisync.workflow.RunView;
import io.phisync.workflow.RunView.StepView;
import io.phisync.workflow.Step;
import io.phisync.workflow.StepBody;
import io.phisync.workflow.StepStatus;
import io.phisync.workflow.WorkflowCodec;
import io.phisync.workflow.WorkflowDefinition;
import io.phisync.workflow.WorkflowException;
import io.phisync.workflow.WorkflowLoader;
import io.phisync.workflow.WorkflowValidationException;
import io.phisync.workflow.Workflows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Workflows: start a run (it returns the run id at once), look at it, wait for its end, list runs,
 * and see the approvals that runs wait for. Approving and rejecting are not tools: a decision is
 * the human's ({@code phisync approve RUN STEP}).
 */
final class WorkflowTools implements ToolGroup {
  private static final long MAX_WAIT = ToolContext.MAX_WAIT.toSeconds();
  private static final long DEFAULT_WAIT = 30;
  private static final int DEFAULT_LISTED = 20;
  private static final int MAX_LISTED = 100;
  private static final List<String> STATUSES =
      Arrays.stream(RunStatus.values()).map(RunStatus::label).toList();
  private static final String RUN_ID =
      "The run id, such as \"run-01jd...\", as phisync_workflow_start or phisync_workflow_list"
          + " returned it.";
  private static final String HUMAN_DECIDES =
      "You cannot approve or reject: a decision is the human's. Show the human the message and"
          + " context and ask them to run 'phisync approve RUN STEP' (or 'phisync reject RUN STEP')"
          + " with their approver key.";

  private final ToolContext context;

  WorkflowTools(ToolContext context) {
    this.context = context;
  }

  @Override
  public List<Tool> tools() {
    return List.of(start(), status(), waitRun(), list(), pendingApprovals());
  }

  private Tool start() {
    return new Tool(
        "phisync_workflow_start",
        "Start a workflow run, as orchestrator "
            + context.self()
            + ": a multi-step plan (tasks sent to agents, parallel branches, approvals, ...) that"
            + " PhiSync executes durably. Pass the definition either as definitionFile (a YAML or"
            + " JSON file under the PhiSync root) or as definition (its YAML or JSON text). It is"
            + " validated first: if it has problems, every one is listed and nothing starts. Returns"
            + " at once with {runId, workflow, status, executor, next}; the run keeps executing"
            + " after this call (phisync mcp runs it in a background process that outlives this"
            + " session; executor.note says where). Follow it"
            + " with phisync_workflow_wait (waits for its end) or phisync_workflow_status. Do not"
            + " start the same workflow again while it runs.",
        InputSchema.object()
            .string(
                "definitionFile",
                "Path of the definition file (.yaml, .yml or .json), relative to the PhiSync root"
                    + " (or absolute, but inside the root), e.g. \"workflows/release.yaml\".")
            .stringOrObject(
                "definition",
                "The definition itself as YAML or JSON text (or as a JSON object), e.g. \"name: hello\\nsteps:\\n  - id:"
                    + " ask\\n    task: {agent: webc, command: research, payload: {topic:"
                    + " \\\"${input.topic}\\\"}}\\n\". Use either this or definitionFile.")
            .object(
                "input",
                "The run's input, a JSON object that the definition reads as input.*, e.g."
                    + " {\"topic\": \"OAuth2\"}; {} when absent."),
        /* readOnly= */ false,
        args -> {
          WorkflowDefinition definition = definition(args);
          ObjectNode input = args.object("input");
          requireAgents(definition);
          String runId =
              validated(
                  () ->
                      workflows()
                          .create(
                              definition,
                              input == null ? Json.object() : input,
                              RunOptions.as(context.self())));
          RunLauncher.Launch launch =
              context.launcher().launch(context.phi(), runId, context.self());
          ObjectNode out =
              Results.object()
                  .put("runId", runId)
                  .put("workflow", definition.name())
                  .put("status", RunStatus.RUNNING.label());
          ObjectNode executor = out.putObject("executor").put("kind", launch.executor());
          if (launch.pid() != null) {
            executor.put("pid", launch.pid());
          }
          Results.putIfPresent(executor, "log", launch.log());
          executor.put("note", launch.note());
          return out.put(
              "next",
              "call phisync_workflow_wait with runId "
                  + runId
                  + " to wait for its end (up to "
                  + MAX_WAIT
                  + " s per call), or phisync_workflow_status to look at it now");
        });
  }

  private Tool status() {
    return new Tool(
        "phisync_workflow_status",
        "Look at a workflow run now, as its journal tells it; returns at once. Returns {runId,"
            + " workflow, status (running, compensating, completed, failed, canceled), startedAt,"
            + " endedAt, error, output, steps: [{id, kind, status, attempt, error}],"
            + " waitingApproval, next}. A step's status is pending, scheduled, running,"
            + " up-for-retry, waiting-approval, completed, failed, timed-out, skipped,"
            + " upstream-failed, compensating, compensated or canceled. next says what to do.",
        InputSchema.object()
            .requiredString("runId", RUN_ID)
            .bool(
                "stepOutputs",
                "Also show each completed step's output (default false: only the run's output)."),
        /* readOnly= */ true,
        args -> view(existing(args.string("runId")), args.flag("stepOutputs", false)));
  }

  private Tool waitRun() {
    return new Tool(
        "phisync_workflow_wait",
        "Wait (long poll, at most "
            + MAX_WAIT
            + " s) for a workflow run to end, and return as soon as it does. Returns {ended, run}:"
            + " ended is true when the run completed, failed or was canceled; run is the same view"
            + " as phisync_workflow_status. When ended is false the run is still going: call again"
            + " with the same runId (or do other work first). If it waits for an approval, ask the"
            + " human to decide (see phisync_approvals_pending); waiting alone will not end it.",
        InputSchema.object()
            .requiredString("runId", RUN_ID)
            .seconds("waitSeconds", "How long to wait in this call.", 1, MAX_WAIT, DEFAULT_WAIT)
            .bool("stepOutputs", "Also show each completed step's output (default false)."),
        /* readOnly= */ true,
        args -> {
          String runId = args.string("runId");
          Duration wait = args.seconds("waitSeconds", 1, MAX_WAIT, DEFAULT_WAIT);
          boolean stepOutputs = args.flag("stepOutputs", false);
          existing(runId);
          Optional<RunView> ended = workflows().awaitEnd(runId, wait);
          RunView run = ended.isPresent() ? ended.get() : existing(runId);
          ObjectNode out = Results.object().put("ended", run.status().isDone());
          out.set("run", view(run, stepOutputs));
          return out;
        });
  }

  private Tool list() {
    return new Tool(
        "phisync_workflow_list",
        "List workflow runs on this root, newest first. Returns {count, runs: [{runId, workflow,"
            + " status, startedAt, endedAt}]}; count is how many match, runs at most 'limit' of"
            + " them. Look at one with phisync_workflow_status.",
        InputSchema.object()
            .integer(
                "limit", "At most this many runs (default " + DEFAULT_LISTED + ").", 1, MAX_LISTED)
            .oneOf("status", "Only runs in this state.", STATUSES)
            .string("workflow", "Only runs of the workflow with this name."),
        /* readOnly= */ true,
        args -> {
          Long limit = args.integer("limit", 1, MAX_LISTED);
          String status = args.optionalString("status");
          if (status != null && !STATUSES.contains(status)) {
            throw new ToolError(
                "unknown status '" + status + "': use one of " + String.join(", ", STATUSES) + ".");
          }
          String workflow = args.optionalString("workflow");
          List<RunView> runs =
              workflows().list().stream()
                  .filter(r -> status == null || r.status().label().equals(status))
                  .filter(r -> workflow == null || r.workflow().equals(workflow))
                  .toList();
          ArrayNode listed = Results.object().arrayNode();
          runs.stream()
              .limit(limit == null ? DEFAULT_LISTED : limit)
              .forEach(
                  r -> {
                    ObjectNode shown =
                        listed
                            .addObject()
                            .put("runId", r.runId())
                            .put("workflow", r.workflow())
                            .put("status", r.status().label())
                            .put("startedAt", r.startedAt().toString());
                    if (r.endedAt() != null) {
                      shown.put("endedAt", r.endedAt().toString());
                    }
                    Results.putIfPresent(shown, "parentRunId", r.parentRunId());
                  });
          ObjectNode out = Results.object().put("count", runs.size());
          out.set("runs", listed);
          return out;
        });
  }

  private Tool pendingApprovals() {
    return new Tool(
        "phisync_approvals_pending",
        "List the approval requests that workflow runs wait for, oldest first. Returns {count,"
            + " pending: [{runId, step, workflow, message, context, requestedBy, requestedAt,"
            + " expiresAt, approvers}], next}. "
            + HUMAN_DECIDES
            + " Once decided, the run goes on by itself (follow it with phisync_workflow_wait);"
            + " a request nobody decides by expiresAt is handled as the workflow says (usually"
            + " rejected).",
        InputSchema.object().string("runId", "Optional: only the requests of this run."),
        /* readOnly= */ true,
        args -> {
          String runId = args.optionalString("runId");
          List<ApprovalRequest> pending =
              context.phi().approvals().pending().stream()
                  .filter(r -> runId == null || r.runId().equals(runId))
                  .toList();
          ArrayNode listed = Results.object().arrayNode();
          for (ApprovalRequest r : pending) {
            ObjectNode shown =
                listed
                    .addObject()
                    .put("runId", r.runId())
                    .put("step", r.step())
                    .put("workflow", r.workflow())
                    .put("message", r.message());
            if (r.context() != null) {
              shown.set("context", r.context());
            }
            shown
                .put("requestedBy", r.requestedBy().value())
                .put("requestedAt", r.requestedAt().toString())
                .put("expiresAt", r.expiresAt().toString());
            ArrayNode approvers = shown.putArray("approvers");
            r.approvers().forEach(a -> approvers.add(a.value()));
          }
          ObjectNode out = Results.object().put("count", pending.size());
          out.set("pending", listed);
          return out.put(
              "next",
              pending.isEmpty()
                  ? "nothing waits for a decision"
                  : "ask the human to run 'phisync approve "
                      + pending.get(0).runId()
                      + " "
                      + pending.get(0).step()
                      + "' (or 'phisync reject ...') for each request; you cannot decide");
        });
  }

  /** The definition the start call names, loaded and validated. */
  private WorkflowDefinition definition(Args args) {
    String file = args.optionalString("definitionFile");
    JsonNode text = args.optionalValue("definition");
    if ((file == null) == (text == null)) {
      throw new ToolError(
          "Pass exactly one of 'definitionFile' (a path under the PhiSync root) and 'definition'"
              + " (the definition's YAML or JSON text).");
    }
    if (file != null) {
      Path path = fileUnderRoot(file);
      return validated(() -> workflows().load(path));
    }
    return validated(
        () -> {
          JsonNode tree =
              text.isString()
                  ? WorkflowLoader.parse(
                      "definition", text.asString().getBytes(StandardCharsets.UTF_8))
                  : text;
          WorkflowDefinition definition = WorkflowCodec.decode(tree);
          workflows().validate(definition);
          return definition;
        });
  }

  /** {@code given} resolved against the root; an error unless it is a file inside the root. */
  private Path fileUnderRoot(String given) {
    Path root = context.phi().root().toAbsolutePath().normalize();
    Path path;
    try {
      path = root.resolve(given).normalize();
    } catch (InvalidPathException e) {
      throw new ToolError("'definitionFile': '" + given + "' is not a valid path.");
    }
    String hint =
        " Pass a path relative to the PhiSync root "
            + root
            + ", such as \"workflows/release.yaml\", or pass the definition's text as"
            + " 'definition'.";
    if (!Files.isRegularFile(path)) {
      throw new ToolError("'definitionFile': there is no file " + path + "." + hint);
    }
    try {
      if (!path.startsWith(root) || !path.toRealPath().startsWith(root.toRealPath())) {
        throw new ToolError(
            "'definitionFile': " + given + " is outside the PhiSync root; it is not read." + hint);
      }
    } catch (IOException e) {
      throw new ToolError("'definitionFile': cannot read " + path + ": " + e.getMessage() + ".");
    }
    return path;
  }

  /** Refuses a definition that sends tasks to agents the root does not have. */
  private void requireAgents(WorkflowDefinition definition) {
    Set<String> missing = new TreeSet<>();
    collectAgents(definition.steps(), missing);
    missing.removeIf(a -> context.phi().transport().hasAgent(AgentName.of(a)));
    if (!missing.isEmpty()) {
      throw new ToolError(
          "The definition sends tasks to agents this root does not have: "
              + String.join(", ", missing)
              + ". Nothing was started. Call phisync_status to see the agents, correct the steps'"
              + " task.agent, and call phisync_workflow_start again.");
    }
  }

  private static void collectAgents(List<Step> steps, Set<String> agents) {
    for (Step step : steps) {
      if (step.compensate() != null) {
        agents.add(step.compensate().agent().value());
      }
      StepBody body = step.body();
      if (body instanceof StepBody.Task t) {
        agents.add(t.agent().value());
      } else if (body instanceof StepBody.Scatter s) {
        agents.add(s.task().agent().value());
      } else if (body instanceof StepBody.Parallel p) {
        collectAgents(p.branches(), agents);
      } else if (body instanceof StepBody.Pipeline p) {
        collectAgents(p.stages(), agents);
      } else if (body instanceof StepBody.Condition c) {
        collectAgents(c.then(), agents);
        collectAgents(c.otherwise(), agents);
      } else if (body instanceof StepBody.SubWorkflow w) {
        collectAgents(w.workflow().steps(), agents);
      }
    }
  }

  /** The run {@code runId}; an error saying what to do when it is not there. */
  private RunView existing(String runId) {
    Optional<RunView> run = workflow(() -> workflows().status(runId));
    if (run.isEmpty()) {
      throw new ToolError(
          "There is no run '"
              + runId
              + "' on this root. Call phisync_workflow_list to see the runs, and pass a runId"
              + " exactly as it shows it.");
    }
    return run.get();
  }

  /** A run as tools show it: compact, with what to do next. */
  static ObjectNode view(RunView run, boolean stepOutputs) {
    ObjectNode out =
        Results.object()
            .put("runId", run.runId())
            .put("workflow", run.workflow())
            .put("status", run.status().label())
            .put("startedAt", run.startedAt().toString());
    if (run.endedAt() != null) {
      out.put("endedAt", run.endedAt().toString());
    }
    Results.putIfPresent(out, "parentRunId", run.parentRunId());
    Results.putIfPresent(out, "error", run.error());
    if (run.output() != null) {
      out.set("output", run.output());
    }
    ArrayNode steps = out.putArray("steps");
    List<String> waiting =
        run.steps().stream()
            .filter(s -> s.status() == StepStatus.WAITING_APPROVAL)
            .map(StepView::id)
            .toList();
    for (StepView s : run.steps()) {
      ObjectNode step =
          steps
              .addObject()
              .put("id", s.id())
              .put("kind", s.kind())
              .put("status", s.status().label());
      if (s.attempt() > 0) {
        step.put("attempt", s.attempt());
      }
      Results.putIfPresent(step, "error", s.error());
      if (stepOutputs && s.output() != null) {
        step.set("output", s.output());
      }
    }
    if (!waiting.isEmpty()) {
      ArrayNode list = out.putArray("waitingApproval");
      waiting.forEach(list::add);
    }
    if (!run.notes().isEmpty()) {
      ArrayNode notes = out.putArray("notes");
      run.notes().forEach(notes::add);
    }
    if (!run.compensationFailures().isEmpty()) {
      ArrayNode failures = out.putArray("compensationFailures");
      run.compensationFailures().forEach(failures::add);
    }
    return out.put("next", next(run, waiting));
  }

  private static String next(RunView run, List<String> waitingApproval) {
    String id = run.runId();
    switch (run.status()) {
      case COMPLETED:
        return "the run completed; its result is 'output'";
      case FAILED:
        return "the run failed (see error and the failed steps); a human can run 'phisync"
            + " workflow retry "
            + id
            + "' to run the failed steps again";
      case CANCELED:
        return "the run was canceled; nothing more happens";
      default:
        if (!waitingApproval.isEmpty()) {
          return "step "
              + waitingApproval.get(0)
              + " waits for a human's decision. "
              + HUMAN_DECIDES.replace("RUN STEP", id + " " + waitingApproval.get(0))
              + " Then call phisync_workflow_wait with runId "
              + id;
        }
        return "still going: call phisync_workflow_wait with runId " + id;
    }
  }

  /** Runs an engine call, its refusals as tool errors. */
  private static <T> T workflow(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (WorkflowValidationException e) {
      throw invalid(e);
    } catch (WorkflowException e) {
      throw new ToolError(e.getMessage() + ". Pass a runId as phisync_workflow_list shows it.");
    }
  }

  private static <T> T validated(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (WorkflowValidationException e) {
      throw invalid(e);
    } catch (WorkflowException e) {
      throw new ToolError(e.getMessage() + ". Nothing was started.");
    }
  }

  private static ToolError invalid(WorkflowValidationException e) {
    StringBuilder text =
        new StringBuilder("The definition has ")
            .append(e.problems().size())
            .append(" problem(s); nothing was started:");
    e.problems().forEach(p -> text.append("\n- ").append(p));
    return new ToolError(
        text.append("\nFix every one and call phisync_workflow_start again.").toString());
  }

  private Workflows workflows() {
    return context.phi().workflows();
  }
}
