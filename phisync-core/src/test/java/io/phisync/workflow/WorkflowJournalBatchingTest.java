package io.phisync.workflow;

import static io.phisync.workflow.EngineFixture.CMDC;
import static io.phisync.workflow.EngineFixture.DC;
import static io.phisync.workflow.Steps.task;
import static io.phisync.workflow.Steps.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.Durability;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One journal entry per step (docs/PROTOCOL.md section 13): a step's completion and the steps it
 * unblocks are committed together, in one entry (its {@code also}), before any of them is sent; a
 * crash right after that entry and before the sends resumes with every step run once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowJournalBatchingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int STEPS = 30;

  @TempDir Path root;
  EngineFixture f;

  @BeforeEach
  void setUp() {
    f = new EngineFixture(root);
    f.agent(CMDC, Map.of("do", d -> Json.object().set("step", d.payload().path("step"))));
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static WorkflowDefinition chain(int n) {
    Step[] steps = new Step[n];
    for (int i = 1; i <= n; i++) {
      steps[i - 1] = i == 1 ? task("s1", "cmdc", "do") : task("s" + i, "cmdc", "do", "s" + (i - 1));
    }
    return workflow("chain", steps);
  }

  private List<JsonNode> entries(String runId) {
    return entries(f, runId);
  }

  private static List<JsonNode> entries(EngineFixture f, String runId) {
    List<JsonNode> out = new ArrayList<>();
    for (Revision r : f.phi.transport().log(LogKind.WORKFLOWS).from(StateKey.of(runId), 1)) {
      out.add(r.record());
    }
    return out;
  }

  /**
   * The events of an entry as "type step", without StepStarted (the engine saw a claim: it goes
   * with the next entry, or alone when that is a view interval away).
   */
  private static List<String> events(JsonNode entry) {
    return Journal.events(entry).stream()
        .filter(e -> !Journal.type(e).equals(Journal.STEP_STARTED))
        .map(e -> Journal.type(e) + (e.has("step") ? " " + e.path("step").asString() : ""))
        .toList();
  }

  @Test
  void aChainOfNSteps_commitsOneEntryPerStep_completionAndNextScheduledTogether() throws Exception {
    RunView view =
        f.engine().start(chain(STEPS), Json.object(), RunOptions.as(DC)).await(WAIT).orElseThrow();

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    List<JsonNode> entries = entries(view.runId());
    List<List<String>> grouped = entries.stream().map(WorkflowJournalBatchingTest::events).toList();
    for (int i = 1; i < STEPS; i++) {
      List<String> together = List.of("StepCompleted s" + i, "StepScheduled s" + (i + 1));
      assertThat(grouped)
          .as("s%d's completion and s%d's scheduling in one entry", i, i + 1)
          .anySatisfy(events -> assertThat(events).containsSubsequence(together));
    }
    assertThat(grouped.get(grouped.size() - 1))
        .containsExactly("StepCompleted s" + STEPS, "RunCompleted");
    // RunCreated, OrchestratorAttached, s1 scheduled, then one entry per step (an entry of a
    // StepStarted alone may come between, when a response takes longer than a view interval).
    assertThat(grouped.stream().filter(events -> !events.isEmpty()).count()).isEqualTo(STEPS + 3L);
    for (int i = 1; i <= STEPS; i++) {
      assertThat(f.runsOf("s" + i, 1)).isEqualTo(1);
    }
  }

  @Test
  void aCrashAfterTheCombinedEntryAndBeforeTheSend_resumesAndRunsEveryStepOnce() throws Exception {
    haltAfterTheEntryOfS3_thenResume(f);
  }

  /**
   * In durable mode a request is written (and forced) while its entry is committed, on another
   * thread, and linked into the inbox only after: a halt in between drops the written request.
   */
  @Test
  void durable_aCrashAfterTheEntry_dropsTheRequestWrittenMeanwhile_andResumeSendsItOnce()
      throws Exception {
    f.close();
    f = new EngineFixture(root.resolve("durable"), Durability.DURABLE);
    f.agent(CMDC, Map.of("do", d -> Json.object().set("step", d.payload().path("step"))));

    haltAfterTheEntryOfS3_thenResume(f);
  }

  private void haltAfterTheEntryOfS3_thenResume(EngineFixture f) throws Exception {
    DefaultWorkflows first = f.engine();
    AtomicBoolean halted = new AtomicBoolean();
    RunOptions halting =
        RunOptions.as(DC)
            .withListener(
                v -> {
                  // Called right after a commit, before what it leads to is done: the entry that
                  // completes s2 and schedules s3 is committed, s3's request not sent.
                  if (v.step("s3").orElseThrow().status() == StepStatus.SCHEDULED
                      && halted.compareAndSet(false, true)) {
                    first.halt();
                  }
                });
    Workflows.RunHandle handle = first.start(chain(5), Json.object(), halting);
    await().atMost(WAIT).until(() -> handle.await(Duration.ofMillis(10)).isPresent());

    List<JsonNode> entries = entries(f, handle.runId());
    assertThat(events(entries.get(entries.size() - 1)))
        .containsExactly("StepCompleted s2", "StepScheduled s3");
    assertThat(f.phi.transport().pending(CMDC)).as("s3's request was not sent").isEmpty();
    try (Stream<Path> inbox = Files.list(f.root.resolve(CMDC.value()).resolve("inbox"))) {
      assertThat(inbox.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .as("files in cmdc's inbox: not even a temp file")
          .isEmpty();
    }
    Path spares = f.root.resolve(".spares");
    if (Files.isDirectory(spares)) {
      try (Stream<Path> left = Files.list(spares)) {
        assertThat(left.filter(p -> p.toFile().length() > 0).map(Path::toString))
            .as("spares written and left behind")
            .isEmpty();
      }
    }
    assertThat(f.runsOf("s3", 1)).isZero();

    RunView view = f.engine().resume(handle.runId(), RunOptions.as(DC)).await(WAIT).orElseThrow();

    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    for (int i = 1; i <= 5; i++) {
      assertThat(f.runsOf("s" + i, 1)).as("runs of s%d", i).isEqualTo(1);
      assertThat(view.step("s" + i).orElseThrow().attempt()).isEqualTo(1);
    }
  }
}
