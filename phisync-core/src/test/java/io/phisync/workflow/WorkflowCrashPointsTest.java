package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.PhiSync;
import io.phisync.agent.Agent;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import io.phisync.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Crash points on the workflow journal's writes (docs/PROTOCOL.md section 13): the orchestrator of
 * a four-step run (s0, then s1 and s2, then s3) is a child JVM halted ({@code Runtime.halt}, as
 * abruptly as kill -9) at the n-th time it reaches a step of a journal commit (entry temp written,
 * entry linked, committed: {@code <point>:.journal} counts only the journal's files) or of the view
 * write (temp written, replaced). The run is then resumed in this JVM. Every journal entry parses,
 * the entries are 1..V without a gap, the journal folds, the run completes, every step's output is
 * there, and the test's agent (in this JVM, serving both orchestrators) ran each (step, attempt)
 * exactly once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkflowCrashPointsTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName CMDC = AgentName.of("cmdc");

  /** CrashPoints (io.phisync.transport.file, package-private): the property and the halt status. */
  private static final String CRASH_POINT = "phisync.crashPoint";

  private static final int HALTED = 77;

  @TempDir Path root;
  @TempDir Path logs;

  @SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
  static WorkflowDefinition fourSteps() {
    List<Step> steps = new ArrayList<>();
    String[][] deps = {{}, {"s0"}, {"s0"}, {"s1", "s2"}};
    for (int i = 0; i < deps.length; i++) {
      var payload = Json.object().put("i", i);
      if (i > 0) {
        payload.put("previous", "${steps." + deps[i][0] + ".output.value}");
      }
      steps.add(
          new Step(
              "s" + i,
              List.of(deps[i]),
              TriggerRule.ALL_SUCCESS,
              null,
              Retry.NONE,
              null,
              null,
              new StepBody.Task(CMDC, "work", payload)));
    }
    return new WorkflowDefinition(
        "crash-points", "", steps, null, null, WorkflowDefinition.StepDefaults.NONE);
  }

  /**
   * The child commits at least 5 entries (attached; s0 scheduled; s0 completed with s1 and s2
   * scheduled; s1 and s2 completed with s3 scheduled, in one entry or two; s3 completed with the
   * run; a StepStarted when it sees a claim in time), so every n below is reached. A halt at {@code
   * workflows.committed@3} is right after the entry that completes s0 and schedules s1 and s2 (or a
   * StepStarted before it), before their requests are sent.
   */
  @ParameterizedTest(name = "orchestrator halted at {0}")
  @ValueSource(
      strings = {
        "createNew.tempWritten:.journal@1",
        "createNew.tempWritten:.journal@4",
        "createNew.linked:.journal@2",
        "createNew.linked:.journal@5",
        "workflows.committed@3",
        "workflows.committed@4",
        "workflows.committed@5",
        "replace.tempWritten:workflows@1",
        "workflows.viewWritten@1"
      })
  void haltedAtAJournalOrViewStep_resumesAndRunsEachStepAttemptOnce(String point) throws Exception {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      phi.init(List.of(DC, CMDC));
      Agent agent =
          phi.agent(CMDC)
              .concurrency(2)
              .heartbeatInterval(Duration.ofMillis(500))
              .handle(
                  "work",
                  d -> {
                    var h = Objects.requireNonNull(d.message().headers());
                    runs.computeIfAbsent(
                            h.get("workflowStep") + "#" + h.get("workflowAttempt"),
                            k -> new AtomicInteger())
                        .incrementAndGet();
                    int i = d.payload().path("i").asInt();
                    return Json.object().put("value", "v" + i);
                  })
              .build();
      agent.start();
      try {
        String runId = phi.workflows().create(fourSteps(), Json.object(), RunOptions.as(DC));
        Path out = logs.resolve("orchestrator.log");
        Process child =
            ChildJvm.start(
                OrchestratorChild.class, Map.of(CRASH_POINT, point), out, root.toString(), runId);
        assertThat(child.waitFor(150, TimeUnit.SECONDS)).as("the child ended").isTrue();
        assertThat(child.exitValue())
            .as("halted at %s (log: %s)", point, Files.readString(out))
            .isEqualTo(HALTED);

        long entries = assertJournalWhole(runId);
        assertThat(entries).as("entries after the halt").isPositive();
        RunView afterHalt = phi.workflows().status(runId).orElseThrow(); // The journal folds.
        if (afterHalt.status().isDone()) {
          // Halted between the last entry and the view file: resume says the run has ended and
          // brings the view file up to date.
          assertThatThrownBy(() -> phi.workflows().resume(runId, RunOptions.as(DC)))
              .isInstanceOf(WorkflowException.class)
              .hasMessageContaining("has ended");
        } else {
          RunView resumed =
              phi.workflows()
                  .resume(runId, RunOptions.as(DC))
                  .await(Duration.ofSeconds(120))
                  .orElseThrow();
          assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        }
        RunView view = phi.workflows().status(runId).orElseThrow();
        assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
        for (int i = 0; i < 4; i++) {
          JsonNode output = view.step("s" + i).orElseThrow().output();
          assertThat(Objects.requireNonNull(output).path("value").asString())
              .as("output of s%d", i)
              .isEqualTo("v" + i);
          assertThat(view.step("s" + i).orElseThrow().attempt()).isEqualTo(1);
        }
        Map<String, Integer> counted = new TreeMap<>();
        runs.forEach((k, v) -> counted.put(k, v.get()));
        assertThat(counted)
            .as("handler runs per (step, attempt)")
            .isEqualTo(Map.of("s0#1", 1, "s1#1", 1, "s2#1", 1, "s3#1", 1));
        assertJournalWhole(runId);
        JsonNode written =
            Json.mapper()
                .readTree(
                    Files.readAllBytes(root.resolve("shared/workflows").resolve(runId + ".json")));
        assertThat(written.path("status").asString()).as("the view file").isEqualTo("completed");
      } finally {
        agent.drain(Duration.ofSeconds(10));
      }
    }
  }

  /**
   * Every visible file of the run parses as a JSON object (temp names are ignored, as readers do),
   * and the entries are numbered 1..V without a gap; answers V.
   */
  private long assertJournalWhole(String runId) throws IOException {
    Path workflows = root.resolve("shared/workflows");
    List<Long> numbers = new ArrayList<>();
    try (Stream<Path> files = Files.walk(workflows)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".tmp")) {
          continue;
        }
        assertThat(Json.mapper().readTree(Files.readAllBytes(file)).isObject())
            .as("%s is a JSON object", file)
            .isTrue();
        if (Objects.requireNonNull(file.getParent()).endsWith(runId + ".journal")) {
          numbers.add(Long.parseLong(name.substring(6, name.length() - 5)));
        }
      }
    }
    numbers.sort(null);
    for (int i = 0; i < numbers.size(); i++) {
      assertThat(numbers.get(i)).as("entry numbers without a gap").isEqualTo(i + 1L);
    }
    return numbers.size();
  }
}
