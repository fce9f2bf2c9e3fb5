package io.phisync.workflow;

import static io.phisync.workflow.EngineFixture.CMDC;
import static io.phisync.workflow.EngineFixture.DC;
import static io.phisync.workflow.Steps.call;
import static io.phisync.workflow.Steps.step;
import static io.phisync.workflow.Steps.task;
import static io.phisync.workflow.Steps.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.approval.ApprovalRequest;
import io.phisync.approval.ApproverKeys;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The engine in the cases WorkflowEngineTest leaves out: how ended and claimed steps show. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkflowEngineCasesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

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

  /** The run's journal events in order (an entry's own, then those of its {@code also}). */
  private List<JsonNode> journal(String runId) {
    List<JsonNode> out = new ArrayList<>();
    for (Revision r : f.phi.transport().log(LogKind.WORKFLOWS).from(StateKey.of(runId), 1)) {
      out.addAll(Journal.events(r.record()));
    }
    return out;
  }

  private static StepStatus status(RunView view, String step) {
    return view.step(step).orElseThrow().status();
  }

  /** The step's status as the view file {@code shared/workflows/<runId>.json} says. */
  private String fileStatus(String runId, String step) throws Exception {
    JsonNode view =
        Json.mapper()
            .readTree(Files.readAllBytes(root.resolve("shared/workflows/" + runId + ".json")));
    for (JsonNode s : view.path("steps")) {
      if (s.path("id").asString().equals(step)) {
        return s.path("status").asString();
      }
    }
    throw new AssertionError("no step " + step + " in " + view);
  }

  /** What another process sees: a fresh engine folding the journal. */
  private RunView folded(String runId) {
    return f.engine().status(runId).orElseThrow();
  }

  private static Step onFailureStep() {
    return step("notify", call("cmdc", "notify", Json.object().put("error", "${error.message}")));
  }

  @Test
  void onFailureOfACompletedRun_showsSkipped_inTheView_theFoldAndTheViewFile() throws Exception {
    f.agent(CMDC, Map.of("do", d -> Json.object(), "notify", d -> Json.object()));
    WorkflowDefinition def =
        Steps.workflowWith("fine", onFailureStep(), null, task("a", "cmdc", "do"));

    RunView view = engine.start(def, Json.object(), RunOptions.as(DC)).await(WAIT).orElseThrow();

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(status(view, "notify")).isEqualTo(StepStatus.SKIPPED);
    assertThat(view.step("notify").orElseThrow().endedAt()).isEqualTo(view.endedAt());
    assertThat(status(folded(view.runId()), "notify")).isEqualTo(StepStatus.SKIPPED);
    assertThat(fileStatus(view.runId(), "notify")).isEqualTo("skipped");
    assertThat(f.runsOf("notify", 1)).isZero();
  }

  @Test
  void aTaskShowsRunning_onceTheAgentClaimedItsRequest() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    f.agent(
        CMDC,
        Map.of(
            "hang",
            d -> {
              hold.await(60, TimeUnit.SECONDS);
              return Json.object().put("done", true);
            }));
    Workflows.RunHandle handle =
        engine.start(
            workflow("claim", task("a", "cmdc", "hang")), Json.object(), RunOptions.as(DC));
    String runId = handle.runId();
    try {
      await().atMost(WAIT).until(() -> f.runsOf("a", 1) == 1);
      await().atMost(WAIT).until(() -> status(handle.view(), "a") == StepStatus.RUNNING);
      assertThat(status(folded(runId), "a")).isEqualTo(StepStatus.RUNNING);
      assertThat(journal(runId))
          .anySatisfy(
              e -> {
                assertThat(e.path("type").asString()).isEqualTo("StepStarted");
                assertThat(e.path("step").asString()).isEqualTo("a");
                assertThat(e.path("attempt").asInt()).isEqualTo(1);
                assertThat(e.path("requestId").asString()).isEqualTo(runId + "-a-1");
              });
      f.clock.advance(Duration.ofSeconds(1)); // The view file is rewritten at most every 250 ms.
      await().atMost(WAIT).until(() -> fileStatus(runId, "a").equals("running"));
    } finally {
      hold.countDown();
    }
    RunView view = handle.await(WAIT).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(status(view, "a")).isEqualTo(StepStatus.COMPLETED);
    assertThat(f.runsOf("a", 1)).isEqualTo(1);
  }

  @Test
  void cancelWhileWaitingForAnApproval_closesTheRequest_cancelsTheRun_andCompensates()
      throws Exception {
    f.agent(
        CMDC,
        Map.of(
            "do", d -> Json.object(),
            "undo", d -> Json.object(),
            "notify", d -> Json.object()));
    WorkflowDefinition def =
        Steps.workflowWith(
            "gate",
            onFailureStep(),
            null,
            Steps.compensate(task("a", "cmdc", "do"), call("cmdc", "undo", null)),
            step(
                "approve",
                new StepBody.Approval(
                    List.of(AgentName.of("stryk")),
                    "go?",
                    null,
                    Duration.ofHours(1),
                    StepBody.ExpiryPolicy.REJECT),
                "a"),
            task("deploy", "cmdc", "do", "approve"));
    Workflows.RunHandle handle = engine.start(def, Json.object(), RunOptions.as(DC));
    String runId = handle.runId();
    await().atMost(WAIT).until(() -> f.approvals.requests.containsKey(runId + "/approve"));
    await()
        .atMost(WAIT)
        .until(() -> status(handle.view(), "approve") == StepStatus.WAITING_APPROVAL);

    engine.cancel(runId, "not today");
    RunView view = handle.await(WAIT).orElseThrow();

    assertThat(view.status()).isEqualTo(RunStatus.CANCELED);
    assertThat(view.error()).isEqualTo("not today");
    assertThat(status(view, "approve")).isEqualTo(StepStatus.CANCELED);
    assertThat(status(view, "deploy")).isEqualTo(StepStatus.CANCELED);
    assertThat(status(view, "a")).isEqualTo(StepStatus.COMPENSATED);
    assertThat(status(view, "notify")).isEqualTo(StepStatus.CANCELED); // Not run after a cancel.
    assertThat(f.approvals.closed).containsEntry(runId + "/approve", "canceled");
    assertThat(f.approvals.pending()).isEmpty();
    assertThat(f.order).containsExactly("do:a", "undo:a");
    assertThat(status(folded(runId), "approve")).isEqualTo(StepStatus.CANCELED);
  }

  @Test
  void aFailingChildRun_failsTheParentStepWithChildFailed_compensatesAndRunsOnFailure()
      throws Exception {
    f.agent(
        CMDC,
        Map.of(
            "do", d -> Json.object(),
            "undo", d -> Json.object(),
            "boom", d -> Json.object().put("error", "exploded").put("errorType", "Boom"),
            "notify", d -> Json.object().put("told", d.payload().path("error").asString())));
    WorkflowDefinition child =
        workflow("child", task("inner", "cmdc", "do"), task("bad", "cmdc", "boom", "inner"));
    WorkflowDefinition parent =
        Steps.workflowWith(
            "parent",
            onFailureStep(),
            null,
            Steps.compensate(task("a", "cmdc", "do"), call("cmdc", "undo", null)),
            step("sub", new StepBody.SubWorkflow(child, null), "a"),
            task("after", "cmdc", "do", "sub"));

    RunView view = engine.start(parent, Json.object(), RunOptions.as(DC)).await(WAIT).orElseThrow();

    String childId = RunIds.childRunId(view.runId(), "sub", 1);
    RunView childView = engine.status(childId).orElseThrow();
    assertThat(childView.status()).isEqualTo(RunStatus.FAILED);
    assertThat(childView.error()).contains("Boom").contains("exploded");

    assertThat(view.status()).isEqualTo(RunStatus.FAILED);
    assertThat(status(view, "sub")).isEqualTo(StepStatus.FAILED);
    assertThat(view.step("sub").orElseThrow().error()).contains(childId).contains("failed");
    assertThat(status(view, "after")).isEqualTo(StepStatus.UPSTREAM_FAILED);
    assertThat(status(view, "a")).isEqualTo(StepStatus.COMPENSATED);
    assertThat(status(view, "notify")).isEqualTo(StepStatus.COMPLETED);
    assertThat(
            java.util.Objects.requireNonNull(view.step("notify").orElseThrow().output())
                .path("told")
                .asString())
        .contains(childId);
    assertThat(view.error()).contains("step sub ChildFailed");
    assertThat(journal(view.runId()))
        .anySatisfy(
            e -> {
              assertThat(e.path("type").asString()).isEqualTo("StepFailed");
              assertThat(e.path("step").asString()).isEqualTo("sub");
              assertThat(e.path("errorType").asString()).isEqualTo("ChildFailed");
              assertThat(e.has("retryAt")).isFalse();
            });
    assertThat(f.order).containsSubsequence("boom:bad", "undo:a", "notify:notify");
    assertThat(f.runsOf("after", 1)).isZero();
  }

  /** With the real approval files and keys: an agent writes a decision without the key. */
  @Test
  void aDecisionForgedByAnAgent_isRefusedAndNoted_andTheGenuineOneCompletesTheRun(
      @TempDir Path otherRoot, @TempDir Path home) throws Exception {
    AgentName stryk = AgentName.of("stryk");
    ApproverKeys keys = ApproverKeys.at(home);
    keys.init(stryk, false);
    try (PhiSync phi = PhiSync.builder(otherRoot).approverHome(home).open()) {
      phi.init(List.of(DC, CMDC));
      var agent =
          phi.agent(CMDC).handle("deploy", d -> Json.object().put("deployed", true)).build();
      agent.start();
      try {
        Workflows workflows = phi.workflows();
        WorkflowDefinition def =
            workflow(
                "signed",
                step(
                    "approve",
                    new StepBody.Approval(
                        List.of(stryk),
                        "Deploy?",
                        null,
                        Duration.ofHours(1),
                        StepBody.ExpiryPolicy.REJECT)),
                task("deploy", "cmdc", "deploy", "approve"));
        Workflows.RunHandle handle = workflows.start(def, Json.object(), RunOptions.as(DC));
        String runId = handle.runId();
        await().atMost(WAIT).until(() -> !phi.approvals().pending().isEmpty());
        ApprovalRequest request = phi.approvals().pending().get(0);
        assertThat(request.runId()).isEqualTo(runId);

        // What an agent can do: write the decision file, but sign it with no approver's key.
        Path decision = otherRoot.resolve("shared/approvals/" + runId + "/approve.decision.json");
        Files.writeString(
            decision,
            Json.object()
                .put("kind", "phisync.approval-decision/1")
                .put("runId", runId)
                .put("step", "approve")
                .put("nonce", request.nonce())
                .put("decision", "approved")
                .put("approver", "stryk")
                .put("keyId", "0000000000000000")
                .put("comment", "trust me")
                .put("decidedAt", Instant.now().toString())
                .put("signature", "AAAA")
                .toString());

        await().atMost(WAIT).until(() -> !handle.view().notes().isEmpty());
        assertThat(handle.view().notes().get(0))
            .startsWith("refused a forged decision for step approve: ");
        assertThat(status(handle.view(), "approve")).isEqualTo(StepStatus.WAITING_APPROVAL);
        assertThat(handle.view().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(decision).doesNotExist(); // Moved aside.
        assertThat(workflows.status(runId).orElseThrow().notes()).hasSize(1);

        assertThat(
                phi.approvals()
                    .submit(keys.sign(stryk, request, true, "the real one", Instant.now())))
            .isTrue();
        RunView view = handle.await(WAIT).orElseThrow();
        assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(
                java.util.Objects.requireNonNull(view.step("approve").orElseThrow().output())
                    .path("approver")
                    .asString())
            .isEqualTo("stryk");
        assertThat(view.notes()).hasSize(1);
      } finally {
        agent.drain(Duration.ofSeconds(5));
      }
    }
  }
}
