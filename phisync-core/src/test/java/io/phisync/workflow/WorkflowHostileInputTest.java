package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.agent.Agent;
import io.phisync.approval.ApprovalRequest;
import io.phisync.approval.ApproverKeys;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile files in a run's journal directory ({@code shared/workflows/<runId>.journal/}) and a
 * forged approval decision, against the real engine. Files that are not entries are skipped; an
 * entry that is garbage, truncated, over the size limit, a symbolic link, a directory, or beyond a
 * gap is refused with a reason naming it, for that run only: the orchestrator process lives, other
 * runs are listed and executed. Seeded random entries fold to a view or a clear exception.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkflowHostileInputTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName CMDC = AgentName.of("cmdc");
  private static final AgentName STRYK = AgentName.of("stryk");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path root;
  @TempDir Path home;
  @TempDir Path elsewhere;

  private PhiSync phi;
  private Workflows workflows;

  @BeforeEach
  void open() {
    phi = PhiSync.builder(root).durability(Durability.FAST).approverHome(home).open();
    phi.init(List.of(DC, CMDC));
    workflows = phi.workflows();
  }

  @AfterEach
  void close() {
    phi.close();
  }

  @SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
  private static WorkflowDefinition oneTask(String name) {
    return new WorkflowDefinition(
        name,
        "",
        List.of(
            new Step(
                "s0",
                List.of(),
                TriggerRule.ALL_SUCCESS,
                null,
                Retry.NONE,
                null,
                null,
                new StepBody.Task(CMDC, "work", Json.object().put("i", 0)))),
        null,
        null,
        WorkflowDefinition.StepDefaults.NONE);
  }

  private Path journal(String runId) {
    return root.resolve("shared/workflows").resolve(runId + ".journal");
  }

  private static String entry(long n) {
    return String.format("entry-%012d.json", n);
  }

  private Agent agent() {
    Agent agent =
        phi.agent(CMDC)
            .handle("work", d -> Json.object().put("value", "v" + d.payload().path("i").asInt()))
            .build();
    agent.start();
    return agent;
  }

  /** Another run, started and completed by the same engine: the orchestrator still works. */
  private void anotherRunCompletes() throws Exception {
    Agent agent = agent();
    try {
      RunView view =
          workflows
              .start(oneTask("other"), Json.object(), RunOptions.as(DC))
              .await(WAIT)
              .orElseThrow();
      assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    } finally {
      agent.drain(Duration.ofSeconds(10));
    }
  }

  @Test
  void filesThatAreNotEntries_areSkipped_andTheRunCompletes() throws Exception {
    String runId = workflows.create(oneTask("foreign"), Json.object(), RunOptions.as(DC));
    Path dir = journal(runId);
    Files.writeString(dir.resolve("notes.txt"), "not an entry");
    Files.writeString(dir.resolve("entry-abc.json"), "{\"type\":\"RunCompleted\"}");
    Files.writeString(dir.resolve(".entry-000000000002.json.1f2e.tmp"), "{\"type\":\"Run");
    Files.writeString(dir.resolve("entry-000000000002.json~"), "{\"type\":\"RunFailed\"}");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/entry-000000000002.json"), "{\"type\":\"RunFailed\"}");

    assertThat(workflows.status(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    Agent agent = agent();
    try {
      RunView view = workflows.resume(runId, RunOptions.as(DC)).await(WAIT).orElseThrow();
      assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(view.step("s0").orElseThrow().output()).isNotNull();
    } finally {
      agent.drain(Duration.ofSeconds(10));
    }
    assertThat(dir.resolve("notes.txt")).hasContent("not an entry"); // Left alone.
  }

  /** One hostile next entry per case: refused with the reason, for that run only. */
  @Test
  void aHostileEntry_isRefusedWithItsReason_forThatRunOnly() throws Exception {
    Path outside = elsewhere.resolve("forged-entry.json");
    Files.writeString(
        outside, "{\"type\":\"RunCompleted\",\"at\":\"2026-11-24T10:00:00Z\",\"output\":{}}");
    List<Case> cases =
        List.of(
            new Case(
                "garbage",
                "unreadable record",
                f -> write(f, new byte[] {(byte) 0xC3, 0x28, '{', '"', 0, 7})),
            new Case(
                "truncated",
                "unreadable record",
                f -> write(f, "{\"type\":\"StepScheduled\",\"at\":\"2026-11-24T1".getBytes())),
            new Case("not an object", "not a JSON object", f -> write(f, "[1,2,3]".getBytes())),
            new Case(
                "oversize",
                "over the limit",
                f -> {
                  try (RandomAccessFile file = new RandomAccessFile(f.toFile(), "rw")) {
                    file.setLength((64L << 20) + 1); // Sparse: costs no disk.
                  }
                }),
            new Case(
                "a symbolic link out of the root",
                "symbolic link",
                f -> Files.createSymbolicLink(f, outside)),
            new Case("a directory", "could not read", Files::createDirectory),
            new Case(
                "2^31-1 chunks planned for a task",
                "planned with 2147483647 chunks",
                f ->
                    Files.writeString(
                        f,
                        "{\"type\":\"ScatterPlanned\",\"at\":\"2026-11-24T10:00:00Z\","
                            + "\"step\":\"s0\",\"chunks\":2147483647}")),
            new Case(
                "an entry beyond a gap",
                "is missing",
                f ->
                    Files.writeString(
                        f.resolveSibling(entry(9)),
                        "{\"type\":\"RunCompleted\",\"at\":\"2026-11-24T10:00:00Z\"}")));
    List<String> hostile = new ArrayList<>();
    for (Case c : cases) {
      String runId = workflows.create(oneTask("hostile"), Json.object(), RunOptions.as(DC));
      hostile.add(runId);
      c.plant().accept(journal(runId).resolve(entry(2)));
      Throwable status = catchThrowable(() -> workflows.status(runId));
      assertThat(status)
          .as("status of a run with %s", c.name())
          .isInstanceOf(RuntimeException.class)
          .hasMessageContaining(c.reason());
      Throwable resume = catchThrowable(() -> workflows.resume(runId, RunOptions.as(DC)));
      assertThat(resume)
          .as("resume of a run with %s", c.name())
          .isInstanceOf(RuntimeException.class)
          .hasMessageContaining(c.reason());
    }
    assertThat(outside).content().contains("RunCompleted"); // The link's target: not touched.
    String good = workflows.create(oneTask("good"), Json.object(), RunOptions.as(DC));
    assertThat(workflows.list())
        .extracting(RunView::runId)
        .contains(good)
        .doesNotContainAnyElementsOf(hostile);
    anotherRunCompletes();
  }

  @Test
  void aHostileEntryWhileTheRunExecutes_stopsThatRunWithTheReason_theEngineLives()
      throws Exception {
    Workflows.RunHandle handle = workflows.start(oneTask("live"), Json.object(), RunOptions.as(DC));
    String runId = handle.runId();
    await()
        .atMost(WAIT)
        .until(
            () ->
                handle
                    .view()
                    .step("s0")
                    .map(s -> s.status() == StepStatus.SCHEDULED)
                    .orElse(false));
    long next = handle.view().journalVersion() + 1;
    write(journal(runId).resolve(entry(next)), "{\"type\":\"StepCompl".getBytes());
    assertThatThrownBy(() -> handle.await(WAIT))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("unreadable record");
    anotherRunCompletes();
  }

  /**
   * Seeded random next entries (random bytes, every kind of truncation, JSON objects of known and
   * unknown types with missing, mistyped and hostile fields, deep nesting): the fold answers a view
   * or a runtime exception with a message; nothing else escapes.
   */
  @Test
  void randomNextEntries_foldToAViewOrAClearError() throws Exception {
    Random random = new Random(20261124);
    String[] types = {
      "RunCreated",
      "OrchestratorAttached",
      "StepStarted",
      "StepScheduled",
      "ScatterPlanned",
      "ConditionChosen",
      "TimerStarted",
      "ApprovalRequested",
      "ApprovalRefused",
      "ChildStarted",
      "StepCompleted",
      "StepFailed",
      "StepSkipped",
      "StepUpstreamFailed",
      "StepCanceled",
      "CompensationScheduled",
      "CompensationCompleted",
      "CompensationFailed",
      "CancelRequested",
      "RetryRequested",
      "RunCompleted",
      "RunFailed",
      "RunCanceled",
      "Bogus",
      ""
    };
    int views = 0;
    int refused = 0;
    for (int i = 0; i < 150; i++) {
      String runId = workflows.create(oneTask("fuzz"), Json.object(), RunOptions.as(DC));
      byte[] bytes =
          switch (i % 3) {
            case 0 -> {
              byte[] b = new byte[random.nextInt(120)];
              random.nextBytes(b);
              yield b;
            }
            case 1 -> {
              byte[] whole = Json.mapper().writeValueAsBytes(randomEntry(random, types));
              yield java.util.Arrays.copyOf(whole, random.nextInt(whole.length + 1));
            }
            default -> Json.mapper().writeValueAsBytes(randomEntry(random, types));
          };
      write(journal(runId).resolve(entry(2)), bytes);
      try {
        assertThat(workflows.status(runId)).isPresent();
        views++;
      } catch (RuntimeException e) {
        assertThat(e.getMessage())
            .as("entry %s", new String(bytes, StandardCharsets.UTF_8))
            .isNotBlank();
        refused++;
      }
    }
    assertThat(views + refused).isEqualTo(150);
    assertThat(refused).isPositive();
    anotherRunCompletes();
  }

  private static ObjectNode randomEntry(Random random, String[] types) {
    ObjectNode e = Json.object();
    if (random.nextInt(10) > 0) {
      e.put("type", types[random.nextInt(types.length)]);
    }
    switch (random.nextInt(5)) {
      case 0 -> {} // No time.
      case 1 -> e.put("at", "yesterday");
      case 2 -> e.put("at", random.nextLong());
      default -> e.put("at", Instant.ofEpochSecond(random.nextInt(2_000_000_000)).toString());
    }
    switch (random.nextInt(4)) {
      case 0 -> e.put("step", "s0");
      case 1 -> e.put("step", "../../etc/passwd");
      case 2 -> e.put("step", random.nextInt());
      default -> {}
    }
    if (random.nextBoolean()) {
      e.put("attempt", random.nextBoolean() ? Integer.toString(random.nextInt()) : "x");
    }
    if (random.nextBoolean()) {
      e.put("chunks", random.nextInt(3) == 0 ? Integer.MAX_VALUE : random.nextInt(5) - 1);
    }
    if (random.nextInt(4) == 0) {
      ArrayNode deep = Json.mapper().createArrayNode();
      ArrayNode at = deep;
      for (int d = 0; d < 150; d++) {
        at = at.addArray();
      }
      e.set("output", deep);
    }
    for (String field : List.of("requestId", "branch", "childRunId", "fireAt", "error", "output")) {
      if (random.nextInt(4) == 0) {
        e.put(field, random.nextBoolean() ? "run-../x" : "2026-13-45T99:00:00Z");
      }
    }
    return e;
  }

  /**
   * An agent that can write the shared root writes a decision "by stryk" signed with a key of its
   * own: the engine refuses it (journaled and noted in the run's view), the step keeps waiting, and
   * stryk's genuine decision then completes the run.
   */
  @Test
  @SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
  void aForgedDecision_isRefusedAndNoted_andTheGenuineOneDecides() throws Exception {
    ApproverKeys keys = ApproverKeys.at(home);
    keys.init(STRYK, /* replace= */ false);
    ApproverKeys mallory = ApproverKeys.at(elsewhere);
    mallory.init(STRYK, /* replace= */ false); // Her own key, under stryk's name.
    WorkflowDefinition def =
        new WorkflowDefinition(
            "approve",
            "",
            List.of(
                new Step(
                    "approve",
                    List.of(),
                    TriggerRule.ALL_SUCCESS,
                    null,
                    Retry.NONE,
                    null,
                    null,
                    new StepBody.Approval(
                        List.of(STRYK),
                        "Ship?",
                        null,
                        Duration.ofHours(1),
                        StepBody.ExpiryPolicy.REJECT))),
            null,
            null,
            WorkflowDefinition.StepDefaults.NONE);
    Workflows.RunHandle handle = workflows.start(def, Json.object(), RunOptions.as(DC));
    String runId = handle.runId();
    await().atMost(WAIT).until(() -> phi.approvals().find(runId, "approve").isPresent());
    ApprovalRequest request = phi.approvals().find(runId, "approve").orElseThrow();

    assertThat(
            phi.approvals().submit(mallory.sign(STRYK, request, true, "trust me", Instant.now())))
        .isTrue();
    await().atMost(WAIT).until(() -> !handle.view().notes().isEmpty());
    assertThat(handle.view().notes().get(0))
        .startsWith("refused a forged decision for step approve:");
    assertThat(handle.view().step("approve").orElseThrow().status())
        .isEqualTo(StepStatus.WAITING_APPROVAL);

    assertThat(phi.approvals().submit(keys.sign(STRYK, request, true, "ship it", Instant.now())))
        .isTrue();
    RunView view = handle.await(WAIT).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(
            java.util.Objects.requireNonNull(view.step("approve").orElseThrow().output())
                .path("comment")
                .asString())
        .isEqualTo("ship it");
    assertThat(workflows.status(runId).orElseThrow().notes()).hasSize(1);
  }

  private static void write(Path file, byte[] bytes) throws java.io.IOException {
    Files.write(file, bytes);
  }

  private interface Plant {
    void accept(Path file) throws Exception;
  }

  private record Case(String name, String reason, Plant plant) {}
}
