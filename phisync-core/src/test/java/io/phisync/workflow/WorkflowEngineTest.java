package io.phisync.workflow;

import static io.phisync.workflow.EngineFixture.CMDC;
import static io.phisync.workflow.EngineFixture.DC;
import static io.phisync.workflow.EngineFixture.WEBC;
import static io.phisync.workflow.Steps.attempts;
import static io.phisync.workflow.Steps.call;
import static io.phisync.workflow.Steps.step;
import static io.phisync.workflow.Steps.task;
import static io.phisync.workflow.Steps.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phisync.agent.AgentHandler;
import io.phisync.approval.ApprovalOutcome;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowEngineTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path root;
  private EngineFixture f;
  private DefaultWorkflows engine;

  @BeforeEach
  void open() {
    f = new EngineFixture(root);
    engine = f.engine();
  }

  @AfterEach
  void close() {
    f.close();
  }

  /** An agent whose every command answers {@code {"step": <step>, "ok": true}}. */
  private void echoAgent(AgentName agent, String... commands) {
    Map<String, AgentHandler> handlers = new java.util.LinkedHashMap<>();
    for (String c : commands) {
      handlers.put(
          c,
          d ->
              Json.object()
                  .put("step", d.payload().path("step").asString())
                  .put("ok", true)
                  .put("n", d.payload().path("n").asInt(1)));
    }
    f.agent(agent, handlers);
  }

  private RunView run(WorkflowDefinition definition, JsonNode input) throws Exception {
    Workflows.RunHandle handle = engine.start(definition, input, RunOptions.as(DC));
    return handle.await(WAIT).orElseThrow();
  }

  /** The run's journal events in order (an entry's own, then those of its {@code also}). */
  private List<JsonNode> journal(String runId) {
    List<JsonNode> out = new ArrayList<>();
    for (Revision r : f.phi.transport().log(LogKind.WORKFLOWS).from(StateKey.of(runId), 1)) {
      out.addAll(Journal.events(r.record()));
    }
    return out;
  }

  private static List<String> types(List<JsonNode> journal) {
    return journal.stream().map(e -> e.path("type").asString()).toList();
  }

  private static JsonNode out(RunView view, String step) {
    JsonNode output = view.step(step).orElseThrow().output();
    assertThat(output).as("output of %s", step).isNotNull();
    return java.util.Objects.requireNonNull(output);
  }

  private StepStatus status(RunView view, String step) {
    return view.step(step).orElseThrow().status();
  }

  // ------------------------------------------------------------------------------ tasks

  @Test
  void sequentialTasks_runInOrder_outputsFlowThroughTemplates_andTheJournalIsOnDisk()
      throws Exception {
    f.agent(
        WEBC,
        Map.of(
            "research",
            d -> Json.object().put("findings", "use " + d.payload().path("topic").asString())));
    f.agent(
        CMDC, Map.of("build", d -> Json.object().put("built", d.payload().path("req").asString())));
    WorkflowDefinition def =
        workflow(
            "seq",
            step(
                "research",
                call("webc", "research", Json.object().put("topic", "${input.feature}"))),
            step(
                "build",
                call(
                    "cmdc",
                    "build",
                    Json.object().put("req", "${steps.research.output.findings}!")),
                "research"));

    RunView view = run(def, Json.object().put("feature", "oauth"));

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(out(view, "build").path("built").asString()).isEqualTo("use oauth!");
    assertThat(
            java.util.Objects.requireNonNull(view.output()).path("build").path("built").asString())
        .isEqualTo("use oauth!");
    assertThat(f.order).containsExactly("research:research", "build:build");
    List<JsonNode> journal = journal(view.runId());
    assertThat(types(journal))
        .containsSubsequence(
            "RunCreated",
            "OrchestratorAttached",
            "StepScheduled",
            "StepCompleted",
            "StepScheduled",
            "StepCompleted",
            "RunCompleted");
    assertThat(journal.get(2).path("requestId").asString()).isEqualTo(view.runId() + "-research-1");
    Path dir = root.resolve("shared/workflows/" + view.runId() + ".journal");
    assertThat(dir.resolve("entry-000000000001.json")).exists();
    assertThat(root.resolve("shared/workflows/" + view.runId() + ".json")).exists();
    JsonNode file =
        Json.parse(Files.readString(root.resolve("shared/workflows/" + view.runId() + ".json")));
    assertThat(file.path("status").asString()).isEqualTo("completed");
    assertThat(engine.status(view.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(engine.list()).extracting(RunView::runId).contains(view.runId());
  }

  @Test
  void requestsCarryTheRunAsCorrelationAndWorkflowHeaders() throws Exception {
    List<io.phisync.protocol.Envelope> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.agent(
        WEBC,
        Map.of(
            "go",
            d -> {
              seen.add(d.message());
              return Json.object();
            }));
    RunView view = run(workflow("hdr", task("a", "webc", "go")), Json.object());
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).correlationId()).isEqualTo(view.runId());
    assertThat(seen.get(0).headers())
        .containsEntry("workflowRun", view.runId())
        .containsEntry("workflowStep", "a")
        .containsEntry("workflowAttempt", "1");
    assertThat(seen.get(0).from()).isEqualTo("dc");
  }

  // ------------------------------------------------------------------ composite kinds

  @Test
  void parallel_runsBranchesAndMergesByObject() throws Exception {
    echoAgent(CMDC, "lint", "test");
    WorkflowDefinition def =
        workflow(
            "par",
            step(
                "checks",
                new StepBody.Parallel(
                    List.of(task("lint", "cmdc", "lint"), task("unit", "cmdc", "test")),
                    Merge.OBJECT)),
            task("after", "cmdc", "lint", "checks"));

    RunView view = run(def, Json.object());

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    JsonNode checks = out(view, "checks");
    assertThat(checks.path("lint").path("step").asString()).isEqualTo("lint");
    assertThat(checks.path("unit").path("step").asString()).isEqualTo("unit");
    assertThat(view.step("lint").orElseThrow().parent()).isEqualTo("checks");
  }

  @Test
  void scatter_cutsItemsIntoChunks_respectsMaxConcurrency_andSums() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    f.agent(
        CMDC,
        Map.of(
            "count",
            d -> {
              int now = inFlight.incrementAndGet();
              most.accumulateAndGet(now, Math::max);
              Thread.sleep(20); // holds the chunk a moment so overlap would show
              inFlight.decrementAndGet();
              int sum = 0;
              for (JsonNode n : d.payload().path("items")) {
                sum += n.asInt();
              }
              return Json.object().put("total", sum).put("chunks", 1);
            }));
    var items = Json.mapper().createArrayNode();
    for (int i = 1; i <= 100; i++) {
      items.add(i);
    }
    WorkflowDefinition def =
        workflow(
            "scat",
            step(
                "analyze",
                new StepBody.Scatter(
                    "input.items",
                    7,
                    0,
                    2,
                    call(
                        "cmdc",
                        "count",
                        Json.object()
                            .put("items", "${chunk.items}")
                            .put("index", "${chunk.index}")),
                    Merge.SUM)));

    RunView view = run(def, Json.object().set("items", items));

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(out(view, "analyze").path("total").asInt()).isEqualTo(5050);
    assertThat(out(view, "analyze").path("chunks").asInt()).isEqualTo(7);
    assertThat(view.steps()).filteredOn(s -> "analyze".equals(s.parent())).hasSize(7);
    assertThat(view.step("analyze[6]")).isPresent();
    assertThat(most.get()).isLessThanOrEqualTo(2);
    assertThat(
            journal(view.runId()).stream()
                .filter(e -> e.path("type").asString().equals("StepScheduled"))
                .map(e -> e.path("requestId").asString()))
        .contains(view.runId() + "-analyze_c3-1");
  }

  @Test
  void pipeline_runsStagesInOrder_andOutputsTheLast() throws Exception {
    f.agent(
        CMDC,
        Map.of(
            "package",
            d -> Json.object().put("file", "app.jar"),
            "sign",
            d -> Json.object().put("signed", d.payload().path("file").asString())));
    WorkflowDefinition def =
        workflow(
            "pipe",
            step(
                "ship",
                new StepBody.Pipeline(
                    List.of(
                        step("pkg", call("cmdc", "package", null)),
                        step(
                            "sign",
                            call(
                                "cmdc",
                                "sign",
                                Json.object().put("file", "${steps.pkg.output.file}")))))));

    RunView view = run(def, Json.object());

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(out(view, "ship").path("signed").asString()).isEqualTo("app.jar");
    assertThat(f.order).containsExactly("package:pkg", "sign:sign");
  }

  @Test
  void condition_runsTheChosenBlock_andSkipsTheOther() throws Exception {
    echoAgent(CMDC, "prod", "dev");
    WorkflowDefinition def =
        workflow(
            "cond",
            step(
                "route",
                new StepBody.Condition(
                    "input.env == 'prod'",
                    List.of(task("toProd", "cmdc", "prod")),
                    List.of(task("toDev", "cmdc", "dev")))));

    RunView view = run(def, Json.object().put("env", "prod"));

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(status(view, "toProd")).isEqualTo(StepStatus.COMPLETED);
    assertThat(status(view, "toDev")).isEqualTo(StepStatus.SKIPPED);
    assertThat(out(view, "route").path("step").asString()).isEqualTo("toProd");
    assertThat(types(journal(view.runId()))).contains("ConditionChosen");
  }

  @Test
  void whenFalse_skipsTheStep_andAllSuccessDownstreamIsSkippedToo() throws Exception {
    echoAgent(CMDC, "go");
    WorkflowDefinition def =
        workflow(
            "when",
            task("a", "cmdc", "go"),
            Steps.when(task("b", "cmdc", "go", "a"), "input.flag == true"),
            task("c", "cmdc", "go", "b"));

    RunView view = run(def, Json.object().put("flag", false));

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(status(view, "b")).isEqualTo(StepStatus.SKIPPED);
    assertThat(status(view, "c")).isEqualTo(StepStatus.SKIPPED);
    assertThat(f.order).containsExactly("go:a");
  }

  @Test
  void waitTimer_firesWhenTheClockPassesIt() throws Exception {
    echoAgent(CMDC, "go");
    WorkflowDefinition def =
        workflow(
            "timer",
            step("cooldown", new StepBody.Wait(Duration.ofMinutes(5), null)),
            task("after", "cmdc", "go", "cooldown"));
    Workflows.RunHandle handle = engine.start(def, Json.object(), RunOptions.as(DC));
    await()
        .atMost(WAIT)
        .until(() -> handle.view().step("cooldown").orElseThrow().status() == StepStatus.RUNNING);
    assertThat(handle.await(Duration.ofMillis(300))).isEmpty();
    assertThat(f.order).isEmpty();

    f.clock.advance(Duration.ofMinutes(5));

    RunView view = handle.await(WAIT).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(f.order).containsExactly("go:after");
  }

  @Test
  void approval_approvedCompletes_aForgedDecisionIsRefusedAndNoted() throws Exception {
    echoAgent(CMDC, "deploy");
    WorkflowDefinition def =
        workflow(
            "appr",
            step(
                "approve",
                new StepBody.Approval(
                    List.of(AgentName.of("stryk")),
                    "Deploy ${input.version}?",
                    Json.object().put("v", "${input.version}"),
                    Duration.ofHours(1),
                    StepBody.ExpiryPolicy.REJECT)),
            task("deploy", "cmdc", "deploy", "approve"));
    Workflows.RunHandle handle =
        engine.start(def, Json.object().put("version", "1.2"), RunOptions.as(DC));
    String runId = handle.runId();
    await().atMost(WAIT).until(() -> f.approvals.requests.containsKey(runId + "/approve"));
    var request = java.util.Objects.requireNonNull(f.approvals.requests.get(runId + "/approve"));
    assertThat(request.message()).isEqualTo("Deploy 1.2?");
    assertThat(request.requestedBy()).isEqualTo(DC);
    assertThat(request.expiresAt()).isEqualTo(request.requestedAt().plus(Duration.ofHours(1)));
    assertThat(status(handle.view(), "approve")).isEqualTo(StepStatus.WAITING_APPROVAL);

    f.approvals.forge(runId, "approve", "no valid signature");
    await().atMost(WAIT).until(() -> !handle.view().notes().isEmpty());
    assertThat(handle.view().notes().get(0))
        .isEqualTo("refused a forged decision for step approve: no valid signature");
    assertThat(status(handle.view(), "approve")).isEqualTo(StepStatus.WAITING_APPROVAL);

    f.approvals.decide(
        runId,
        "approve",
        new ApprovalOutcome.Decided(true, AgentName.of("stryk"), "k1", "ship it", Instant.now()));
    RunView view = handle.await(WAIT).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(out(view, "approve").path("approver").asString()).isEqualTo("stryk");
    assertThat(f.approvals.closed).containsEntry(runId + "/approve", "approved");
  }

  @Test
  void approval_rejectedFailsTheRun_andExpiryAppliesThePolicy() throws Exception {
    WorkflowDefinition rejecting =
        workflow(
            "rej",
            step(
                "approve",
                new StepBody.Approval(
                    List.of(), "ok?", null, Duration.ofHours(1), StepBody.ExpiryPolicy.REJECT)));
    Workflows.RunHandle h1 = engine.start(rejecting, Json.object(), RunOptions.as(DC));
    await().atMost(WAIT).until(() -> f.approvals.requests.containsKey(h1.runId() + "/approve"));
    f.approvals.decide(
        h1.runId(),
        "approve",
        new ApprovalOutcome.Decided(
            false, AgentName.of("stryk"), "k1", "too risky", Instant.now()));
    RunView v1 = h1.await(WAIT).orElseThrow();
    assertThat(v1.status()).isEqualTo(RunStatus.FAILED);
    assertThat(v1.error()).contains("Rejected").contains("too risky");

    WorkflowDefinition skipping =
        workflow(
            "skipexp",
            step(
                "approve",
                new StepBody.Approval(
                    List.of(), "ok?", null, Duration.ofMinutes(10), StepBody.ExpiryPolicy.SKIP)));
    Workflows.RunHandle h2 = engine.start(skipping, Json.object(), RunOptions.as(DC));
    await().atMost(WAIT).until(() -> f.approvals.requests.containsKey(h2.runId() + "/approve"));
    f.clock.advance(Duration.ofMinutes(11));
    RunView v2 = h2.await(WAIT).orElseThrow();
    assertThat(v2.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(status(v2, "approve")).isEqualTo(StepStatus.SKIPPED);
    assertThat(f.approvals.closed).containsEntry(h2.runId() + "/approve", "expired");
  }

  @Test
  void subWorkflow_runsAsADerivedChildRun_andItsOutputIsTheStepsOutput() throws Exception {
    f.agent(CMDC, Map.of("double", d -> Json.object().put("x", d.payload().path("x").asInt() * 2)));
    WorkflowDefinition child =
        workflow(
            "child",
            Steps.step("dbl", call("cmdc", "double", Json.object().put("x", "${input.x}"))));
    WorkflowDefinition parent =
        workflow(
            "parent",
            step("sub", new StepBody.SubWorkflow(child, Json.object().put("x", "${input.x}"))));

    RunView view = run(parent, Json.object().put("x", 21));

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(out(view, "sub").path("dbl").path("x").asInt()).isEqualTo(42);
    String childId = RunIds.childRunId(view.runId(), "sub", 1);
    RunView childView = engine.status(childId).orElseThrow();
    assertThat(childView.parentRunId()).isEqualTo(view.runId());
    assertThat(childView.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(childId).matches("run-[0-9a-f]{26}");
  }

  // -------------------------------------------------------------------- trigger rules

  @Test
  void triggerRules_oneFailedCleanupRuns_allSuccessDownstreamIsUpstreamFailed() throws Exception {
    f.agent(
        CMDC,
        Map.of(
            "ok", d -> Json.object(),
            "boom", d -> Json.object().put("error", "exploded").put("errorType", "Boom")));
    WorkflowDefinition def =
        workflow(
            "rules",
            task("a", "cmdc", "boom"),
            task("deploy", "cmdc", "ok", "a"),
            Steps.with(task("cleanup", "cmdc", "ok", "a"), TriggerRule.ONE_FAILED),
            Steps.with(task("report", "cmdc", "ok", "deploy", "cleanup"), TriggerRule.ALL_DONE));

    RunView view = run(def, Json.object());

    assertThat(view.status()).isEqualTo(RunStatus.FAILED);
    assertThat(status(view, "a")).isEqualTo(StepStatus.FAILED);
    assertThat(status(view, "deploy")).isEqualTo(StepStatus.UPSTREAM_FAILED);
    assertThat(status(view, "cleanup")).isEqualTo(StepStatus.COMPLETED);
    assertThat(status(view, "report")).isEqualTo(StepStatus.COMPLETED);
    assertThat(view.error()).contains("step a Boom: exploded");
  }

  // ---------------------------------------------------------------------------- retries

  @Test
  void retries_waitTheJournaledDelays_drawnFromTheSeededRandom_andNeverSendEarly()
      throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Instant> sentAt = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.agent(
        CMDC,
        Map.of(
            "flaky",
            d -> {
              sentAt.add(f.clock.instant());
              return calls.incrementAndGet() < 3
                  ? Json.object().put("error", "try again")
                  : Json.object().put("ok", true);
            }));
    Retry retry = new Retry(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1), 3, List.of(), 0.5);
    WorkflowDefinition def = workflow("retry", Steps.retry(task("a", "cmdc", "flaky"), retry));
    RunOptions options = RunOptions.as(DC).withRandom(new java.util.Random(42));
    Workflows.RunHandle handle = engine.start(def, Json.object(), options);

    java.util.Random expected = new java.util.Random(42);
    expected.nextLong(); // the orchestrator instance id
    for (int failed = 1; failed <= 2; failed++) {
      int attempt = failed;
      await()
          .atMost(WAIT)
          .until(
              () ->
                  handle.view().step("a").orElseThrow().status() == StepStatus.UP_FOR_RETRY
                      && handle.view().step("a").orElseThrow().attempt() == attempt);
      JsonNode failure = lastOf(handle.runId(), "StepFailed");
      Instant failedAt = Instant.parse(failure.path("at").asString());
      Instant retryAt = Instant.parse(failure.path("retryAt").asString());
      assertThat(retryAt)
          .isEqualTo(failedAt.plus(retry.delayAfter(attempt, expected.nextDouble())));
      // Just short of the retry instant: nothing is sent.
      f.clock.advance(Duration.between(f.clock.instant(), retryAt).minusMillis(1));
      assertThat(handle.await(Duration.ofMillis(400))).isEmpty();
      assertThat(calls.get()).isEqualTo(attempt);
      f.clock.advance(Duration.ofMillis(1));
    }
    RunView view = handle.await(WAIT).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(calls.get()).isEqualTo(3);
    assertThat(f.runsOf("a", 1)).isEqualTo(1);
    assertThat(f.runsOf("a", 2)).isEqualTo(1);
    assertThat(f.runsOf("a", 3)).isEqualTo(1);
  }

  private JsonNode lastOf(String runId, String type) {
    List<JsonNode> entries = journal(runId);
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).path("type").asString().equals(type)) {
        return entries.get(i);
      }
    }
    throw new AssertionError("no " + type + " in " + types(entries));
  }

  @Test
  void nonRetryableError_failsAtOnce() throws Exception {
    f.agent(
        CMDC, Map.of("bad", d -> Json.object().put("error", "no").put("errorType", "Rejected")));
    Retry retry =
        new Retry(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 5, List.of("Rejected"), 0);
    RunView view =
        run(workflow("nonretry", Steps.retry(task("a", "cmdc", "bad"), retry)), Json.object());
    assertThat(view.status()).isEqualTo(RunStatus.FAILED);
    assertThat(view.step("a").orElseThrow().attempt()).isEqualTo(1);
    assertThat(lastOf(view.runId(), "StepFailed").has("retryAt")).isFalse();
  }

  @Test
  void unknownAgentAndTemplateErrors_failWithoutRetry() throws Exception {
    Retry retry = attempts(5, Duration.ofSeconds(1));
    RunView v1 =
        run(workflow("noagent", Steps.retry(task("a", "nobody", "x"), retry)), Json.object());
    assertThat(v1.status()).isEqualTo(RunStatus.FAILED);
    assertThat(lastOf(v1.runId(), "StepFailed").path("errorType").asString())
        .isEqualTo("UnknownAgent");

    RunView v2 =
        run(
            workflow(
                "badtemplate",
                Steps.retry(
                    step("a", call("cmdc", "x", Json.object().put("v", "${input.missing}"))),
                    retry)),
            Json.object());
    assertThat(lastOf(v2.runId(), "StepFailed").path("errorType").asString())
        .isEqualTo("TemplateError");
  }

  // --------------------------------------------------------------------------- timeouts

  @Test
  void scheduleToStart_timesOutAnUnclaimedRequest() throws Exception {
    // No agent serves webc: the request is never claimed.
    WorkflowDefinition def =
        workflow(
            "s2s",
            Steps.timeouts(
                task("a", "webc", "x"), new Timeouts(Duration.ofSeconds(5), null, null)));
    Workflows.RunHandle handle = engine.start(def, Json.object(), RunOptions.as(DC));
    await()
        .atMost(WAIT)
        .until(() -> handle.view().step("a").orElseThrow().status() == StepStatus.SCHEDULED);
    f.clock.advance(Duration.ofSeconds(6));
    RunView view = handle.await(WAIT).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.FAILED);
    assertThat(status(view, "a")).isEqualTo(StepStatus.TIMED_OUT);
    assertThat(view.step("a").orElseThrow().error()).contains("schedule-to-start");
  }

  @Test
  void startToClose_andScheduleToClose_timeOutASlowHandler() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    f.agent(
        WEBC,
        Map.of(
            "slow",
            d -> {
              release.await(30, TimeUnit.SECONDS);
              return Json.object();
            }));
    WorkflowDefinition def =
        workflow(
            "s2c",
            Steps.timeouts(
                task("a", "webc", "slow"), new Timeouts(null, Duration.ofSeconds(10), null)),
            Steps.timeouts(
                task("b", "webc", "slow"), new Timeouts(null, null, Duration.ofSeconds(20))));
    Workflows.RunHandle handle = engine.start(def, Json.object(), RunOptions.as(DC));
    await().atMost(WAIT).until(() -> f.runsOf("a", 1) == 1 && f.runsOf("b", 1) == 1);
    // Let the engine see the claim before the clock moves.
    await().pollDelay(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
    f.clock.advance(Duration.ofSeconds(25));
    RunView view = handle.await(WAIT).orElseThrow();
    release.countDown();
    assertThat(view.status()).isEqualTo(RunStatus.FAILED);
    assertThat(view.step("a").orElseThrow().error()).contains("start-to-close");
    assertThat(view.step("b").orElseThrow().error()).contains("schedule-to-close");
    assertThat(status(view, "a")).isEqualTo(StepStatus.TIMED_OUT);
    assertThat(status(view, "b")).isEqualTo(StepStatus.TIMED_OUT);
  }

  // ------------------------------------------------------------------------ compensation

  @Test
  void failure_compensatesCompletedStepsInReverseOrder_collectsFailures_thenOnFailure()
      throws Exception {
    f.agent(
        CMDC,
        Map.of(
            "do", d -> Json.object().put("did", d.payload().path("step").asString()),
            "undo",
                d ->
                    d.payload().path("what").asString().equals("b")
                        ? Json.object().put("error", "cannot undo b")
                        : Json.object(),
            "boom", d -> Json.object().put("error", "exploded"),
            "notify", d -> Json.object().put("told", d.payload().path("error").asString())));
    StepBody.Task undoA = call("cmdc", "undo", Json.object().put("what", "${steps.a.output.did}"));
    StepBody.Task undoB = call("cmdc", "undo", Json.object().put("what", "${steps.b.output.did}"));
    StepBody.Task undoC = call("cmdc", "undo", Json.object().put("what", "${steps.c.output.did}"));
    Step onFailure =
        step(
            "notify",
            call("cmdc", "notify", Json.object().put("error", "${error.step} ${error.message}")));
    WorkflowDefinition def =
        Steps.workflowWith(
            "saga",
            onFailure,
            null,
            Steps.compensate(task("a", "cmdc", "do"), undoA),
            Steps.compensate(task("b", "cmdc", "do", "a"), undoB),
            Steps.compensate(task("c", "cmdc", "do", "b"), undoC),
            task("d", "cmdc", "boom", "c"));

    RunView view = run(def, Json.object());

    assertThat(view.status()).isEqualTo(RunStatus.FAILED);
    assertThat(f.order)
        .containsExactly(
            "do:a", "do:b", "do:c", "boom:d", "undo:c", "undo:b", "undo:a", "notify:notify");
    assertThat(view.compensationFailures()).containsExactly("b: cannot undo b");
    assertThat(status(view, "c")).isEqualTo(StepStatus.COMPENSATED);
    assertThat(status(view, "a")).isEqualTo(StepStatus.COMPENSATED);
    assertThat(out(view, "notify").path("told").asString()).isEqualTo("d exploded");
    assertThat(
            journal(view.runId()).stream()
                .filter(e -> e.path("type").asString().equals("CompensationScheduled"))
                .map(e -> e.path("requestId").asString()))
        .contains(view.runId() + "-c-comp1");
  }

  // ------------------------------------------------------------------ cancel and retry

  @Test
  void cancel_stopsNewSteps_cancelsRunningOnes_andCompensates() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    f.agent(
        CMDC,
        Map.of(
            "do", d -> Json.object(),
            "undo", d -> Json.object(),
            "hang",
                d -> {
                  hold.await(30, TimeUnit.SECONDS);
                  return Json.object();
                }));
    WorkflowDefinition def =
        workflow(
            "cancel",
            Steps.compensate(task("a", "cmdc", "do"), call("cmdc", "undo", null)),
            task("b", "cmdc", "hang", "a"),
            task("c", "cmdc", "do", "b"));
    Workflows.RunHandle handle = engine.start(def, Json.object(), RunOptions.as(DC));
    await().atMost(WAIT).until(() -> f.runsOf("b", 1) == 1);

    engine.cancel(handle.runId(), "operator said stop");
    RunView view = handle.await(WAIT).orElseThrow();
    hold.countDown();

    assertThat(view.status()).isEqualTo(RunStatus.CANCELED);
    assertThat(view.error()).isEqualTo("operator said stop");
    assertThat(status(view, "b")).isEqualTo(StepStatus.CANCELED);
    assertThat(status(view, "c")).isEqualTo(StepStatus.CANCELED);
    assertThat(status(view, "a")).isEqualTo(StepStatus.COMPENSATED);
    assertThat(f.runsOf("c", 1)).isZero();
    assertThatThrownBy(() -> engine.cancel(handle.runId(), "again"))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("has ended");
  }

  @Test
  void retryOfAFailedRun_rerunsFailedSteps_keepsCompletedOutputs_andFromStepRerunsDownstream()
      throws Exception {
    AtomicInteger bCalls = new AtomicInteger();
    f.agent(
        CMDC,
        Map.of(
            "do", d -> Json.object().put("n", 1),
            "flaky",
                d ->
                    bCalls.incrementAndGet() == 1
                        ? Json.object().put("error", "first time fails")
                        : Json.object().put("ok", true)));
    WorkflowDefinition def =
        workflow(
            "retryrun",
            task("a", "cmdc", "do"),
            task("b", "cmdc", "flaky", "a"),
            task("c", "cmdc", "do", "b"));
    RunView failed = run(def, Json.object());
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    assertThat(status(failed, "c")).isEqualTo(StepStatus.UPSTREAM_FAILED);

    RunView retried =
        engine.retry(failed.runId(), null, RunOptions.as(DC)).await(WAIT).orElseThrow();

    assertThat(retried.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(f.runsOf("a", 1)).isEqualTo(1);
    assertThat(f.runsOf("a", 2)).isZero();
    assertThat(f.runsOf("b", 1)).isEqualTo(1);
    assertThat(f.runsOf("b", 2)).as("the attempt count goes on").isEqualTo(1);
    assertThat(retried.step("b").orElseThrow().attempt()).isEqualTo(2);

    assertThatThrownBy(() -> engine.retry(failed.runId(), null, RunOptions.as(DC)))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("completed");
    engine.cancel(engine.create(def, Json.object(), RunOptions.as(DC)), "never ran");
  }

  @Test
  void retryFromStep_rerunsThatStepAndEverythingDownstream() throws Exception {
    echoAgent(CMDC, "do");
    f.agent(WEBC, Map.of("boom", d -> Json.object().put("error", "x")));
    WorkflowDefinition def =
        workflow(
            "fromstep",
            task("a", "cmdc", "do"),
            task("b", "cmdc", "do", "a"),
            task("c", "webc", "boom", "b"));
    RunView failed = run(def, Json.object());
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);

    RunView again = engine.retry(failed.runId(), "b", RunOptions.as(DC)).await(WAIT).orElseThrow();
    assertThat(again.status()).isEqualTo(RunStatus.FAILED);

    assertThat(f.runsOf("a", 2)).isZero();
    assertThat(f.runsOf("b", 2)).isEqualTo(1);
    assertThat(f.runsOf("c", 2)).isEqualTo(1);
  }

  // ------------------------------------------------------------------------------ resume

  @Test
  void resumeAfterACrash_continuesWithoutResendingCompletedSteps() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    f.agent(
        CMDC,
        Map.of(
            "do", d -> Json.object().put("step", d.payload().path("step").asString()),
            "hang",
                d -> {
                  hold.await(30, TimeUnit.SECONDS);
                  return Json.object().put("held", true);
                }));
    WorkflowDefinition def =
        workflow(
            "resume",
            task("a", "cmdc", "do"),
            task("b", "cmdc", "hang", "a"),
            task("c", "cmdc", "do", "b"));
    Workflows.RunHandle first = engine.start(def, Json.object(), RunOptions.as(DC));
    await().atMost(WAIT).until(() -> f.runsOf("b", 1) == 1);

    engine.halt(); // As a crash: nothing more is journaled.
    await().atMost(WAIT).until(() -> first.await(Duration.ofMillis(10)).isPresent());
    DefaultWorkflows second = f.engine();
    Workflows.RunHandle resumed = second.resume(first.runId(), RunOptions.as(DC));
    hold.countDown();
    RunView view = resumed.await(WAIT).orElseThrow();

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(f.runsOf("a", 1)).isEqualTo(1);
    assertThat(f.runsOf("b", 1)).isEqualTo(1);
    assertThat(f.runsOf("c", 1)).isEqualTo(1);
    assertThat(types(journal(view.runId())).stream().filter("OrchestratorAttached"::equals))
        .hasSize(2);
    assertThatThrownBy(() -> second.resume(first.runId(), RunOptions.as(DC)))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("has ended");
  }

  @Test
  void close_endsTheEngineThreads_andReleasesTheirRunsLocks_beforeItReturns() throws Exception {
    WorkflowDefinition def = workflow("waiting", task("a", "webc", "never"));
    Workflows.RunHandle handle = engine.start(def, Json.object(), RunOptions.as(DC));
    await()
        .atMost(WAIT)
        .until(() -> handle.view().step("a").orElseThrow().status() == StepStatus.SCHEDULED);

    engine.close(); // Its thread waits for a response that does not come.

    // Its thread is done with the root (lock released, handle completed), not still waiting.
    assertThat(handle.await(Duration.ofMillis(1))).isPresent();
    DefaultWorkflows other = f.engine();
    Workflows.RunHandle resumed = other.resume(handle.runId(), RunOptions.as(DC)); // Lock free.
    assertThat(resumed.view().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(types(journal(handle.runId()))).doesNotContain("RunFailed", "RunCanceled");
  }

  @Test
  void close_fromTheEnginesOwnThread_doesNotWaitForItself() throws Exception {
    WorkflowDefinition def = workflow("closing", task("a", "webc", "never"));
    java.util.concurrent.CompletableFuture<Duration> closing =
        new java.util.concurrent.CompletableFuture<>();
    RunOptions options =
        RunOptions.as(DC)
            .withListener(
                view -> {
                  if (!closing.isDone()
                      && view.step("a")
                          .map(a -> a.status() == StepStatus.SCHEDULED)
                          .orElse(false)) {
                    long t0 = System.nanoTime();
                    engine.close(); // A listener that shuts down, on the engine's thread.
                    closing.complete(Duration.ofNanos(System.nanoTime() - t0));
                  }
                });

    Workflows.RunHandle handle = engine.start(def, Json.object(), options);

    assertThat(closing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(handle.await(WAIT)).isPresent();
  }

  @Test
  void resume_refusesARunAnotherLiveEngineExecutes() throws Exception {
    WorkflowDefinition def = workflow("busy", task("a", "webc", "never"));
    Workflows.RunHandle handle = engine.start(def, Json.object(), RunOptions.as(DC));
    await()
        .atMost(WAIT)
        .until(() -> handle.view().step("a").orElseThrow().status() == StepStatus.SCHEDULED);
    DefaultWorkflows other = f.engine();
    assertThatThrownBy(() -> other.resume(handle.runId(), RunOptions.as(DC)))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("is being executed by pid " + ProcessHandle.current().pid())
        .hasMessageContaining("phisync workflow cancel " + handle.runId());
  }

  @Test
  void aNewerOrchestratorAttached_fencesTheOlderOne() throws Exception {
    WorkflowDefinition def = workflow("fence", task("a", "webc", "never"));
    Workflows.RunHandle handle = engine.start(def, Json.object(), RunOptions.as(DC));
    await()
        .atMost(WAIT)
        .until(() -> handle.view().step("a").orElseThrow().status() == StepStatus.SCHEDULED);
    ObjectNode attached =
        Journal.entry(Journal.ORCHESTRATOR_ATTACHED, f.clock.instant())
            .put("pid", 1)
            .put("host", "elsewhere")
            .put("instance", "other");
    var log = f.phi.transport().log(LogKind.WORKFLOWS);
    long next = log.latest(StateKey.of(handle.runId())).orElseThrow().revision() + 1;
    assertThat(log.tryCommit(StateKey.of(handle.runId()), next, attached)).isTrue();
    RunView view = handle.await(WAIT).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.RUNNING); // this one stopped, fenced
  }

  // ----------------------------------------------------------------------------- fan-out

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void fanOutOf200_parallelAndScatter_completesInBoundedTime() throws Exception {
    f.agent(CMDC, Map.of("one", d -> Json.object().put("n", 1)));
    List<Step> branches = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      branches.add(task("b" + i, "cmdc", "one"));
    }
    var items = Json.mapper().createArrayNode();
    for (int i = 0; i < 200; i++) {
      items.add(i);
    }
    WorkflowDefinition def =
        workflow(
            "fanout",
            step("wide", new StepBody.Parallel(branches, Merge.SUM)),
            step(
                "scatter",
                new StepBody.Scatter(
                    "input.items", 0, 1, 0, call("cmdc", "one", null), Merge.SUM)));
    long started = System.nanoTime();
    RunView view =
        engine
            .start(def, Json.object().set("items", items), RunOptions.as(DC))
            .await(Duration.ofSeconds(180))
            .orElseThrow();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(out(view, "wide").path("n").asInt()).isEqualTo(200);
    assertThat(out(view, "scatter").path("n").asInt()).isEqualTo(200);
    // 400 agent round trips: seconds on an idle machine; the bound holds on a loaded shared one.
    assertThat(took).isLessThan(Duration.ofSeconds(180));
  }
}
