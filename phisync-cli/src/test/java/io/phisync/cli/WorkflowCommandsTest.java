package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.phisync.PhiSync;
import io.phisync.agent.Agent;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import io.phisync.workflow.RunOptions;
import io.phisync.workflow.RunStatus;
import io.phisync.workflow.RunView;
import io.phisync.workflow.StepStatus;
import io.phisync.workflow.WorkflowDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The workflow commands, in-process, against the real engine and an in-process agent. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkflowCommandsTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static final String PAIR =
      """
      name: pair
      steps:
        - id: first
          task: {agent: webc, command: echo, payload: {n: 1}}
        - id: second
          dependsOn: [first]
          task: {agent: webc, command: echo, payload: {n: "${steps.first.output.n + 1}"}}
      output: {n: "${steps.second.output.n}"}
      """;

  private static final String FLAKY =
      """
      name: flaky
      steps:
        - id: first
          task: {agent: webc, command: echo, payload: {n: 1}}
        - id: shaky
          dependsOn: [first]
          retry: {maximumAttempts: 1}
          task: {agent: webc, command: shaky}
      """;

  private static final String WAITING =
      """
      name: waiting
      steps:
        - id: first
          task: {agent: webc, command: echo, payload: {n: 1}}
        - id: pause
          dependsOn: [first]
          wait: {duration: 1h}
      """;

  @TempDir Path dir;
  private Path root;
  private PhiSync phi;
  private Agent webc;
  private final AtomicBoolean healthy = new AtomicBoolean(false);
  private final AtomicInteger echoes = new AtomicInteger();
  private final List<ChildProcess> children = new ArrayList<>();

  @BeforeEach
  void open() {
    root = dir.resolve("root");
    phi = PhiSync.builder(root).durability(Durability.FAST).open();
    phi.init(List.of(DC, WEBC));
    assumeEngine(phi);
    webc =
        phi.agent(WEBC)
            .handle(
                "echo",
                d -> {
                  echoes.incrementAndGet();
                  return Json.object().put("n", d.payload().path("n").asInt());
                })
            .handle(
                "shaky",
                d ->
                    healthy.get()
                        ? Json.object().put("ok", true)
                        : Json.object().put("error", "not yet").put("errorType", "NotYet"))
            .build();
    webc.start();
  }

  @AfterEach
  void close() {
    children.forEach(ChildProcess::close);
    webc.drain(Duration.ofSeconds(10));
    phi.close();
  }

  /** Skips (with the reason) in a build whose PhiSync has no workflow engine wired in yet. */
  static void assumeEngine(PhiSync phi) {
    try {
      WorkflowTasks.engine(phi);
    } catch (CliException e) {
      assumeTrue(false, String.valueOf(e.getMessage()));
    }
  }

  @Test
  void theExampleWorkflows_loadAndValidate() {
    for (String example : List.of("release", "log-analysis", "vuln-fix")) {
      WorkflowDefinition definition =
          WorkflowTasks.engine(phi).load(Examples.directory().resolve(example + ".yaml"));
      assertThat(definition.name()).isEqualTo(example);
    }
  }

  private Path definition(String name, String yaml) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString(), "--fast"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private String create(String name, String yaml) throws Exception {
    WorkflowDefinition definition = WorkflowTasks.engine(phi).load(definition(name, yaml));
    return WorkflowTasks.engine(phi).create(definition, Json.object(), RunOptions.as(DC));
  }

  @Test
  void run_executesTheRun_showsEachStep_andExits0WhenItCompleted() throws Exception {
    Cli.Result result = cli("workflow", "run", definition("pair", PAIR).toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern("\\+\\d+\\.\\ds +first +completed")
        .containsPattern("\\+\\d+\\.\\ds +second +completed")
        .contains("(pair): completed after")
        .contains("\"n\": 2")
        .contains("phisync workflow status run-");
    assertThat(echoes).hasValue(2);
  }

  @Test
  void runJson_printsTheFinalView_andStatusAndListAgree() throws Exception {
    Cli.Result result = cli("workflow", "run", definition("pair", PAIR).toString(), "--json");
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode view = Json.parse(result.out());
    String runId = view.path("runId").asString();
    assertThat(view.path("status").asString()).isEqualTo("completed");
    assertThat(view.path("output").path("n").asInt()).isEqualTo(2);
    assertThat(view.path("steps").findValuesAsString("status")).containsOnly("completed");

    JsonNode status = Json.parse(cli("workflow", "status", runId, "--json").out());
    assertThat(status.path("runId").asString()).isEqualTo(runId);
    assertThat(status.path("steps").size()).isEqualTo(2);
    assertThat(status.path("steps").get(1).path("attempt").asInt()).isEqualTo(1);

    JsonNode list = Json.parse(cli("workflow", "list", "--json").out());
    assertThat(list.findValuesAsString("runId")).contains(runId);
    assertThat(list.get(0).path("stepsDone").asInt()).isEqualTo(2);
    assertThat(cli("workflow", "list").out()).contains(runId).contains("pair").contains("2/2");
    assertThat(cli("workflow", "status", runId).out()).contains("second").contains("completed");
  }

  @Test
  void aFailedRun_exits1_andRetryRunsTheFailedStepAgain() throws Exception {
    Cli.Result failed = cli("workflow", "run", definition("flaky", FLAKY).toString());

    assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
    assertThat(failed.out()).contains("(flaky): failed").contains("not yet");
    String runId = WorkflowTasks.engine(phi).list().get(0).runId();

    healthy.set(true);
    Cli.Result retried = cli("workflow", "retry", runId);

    assertThat(retried.exitCode()).as(retried.out() + retried.err()).isZero();
    RunView view = WorkflowTasks.engine(phi).status(runId).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(view.step("shaky").orElseThrow().attempt()).isEqualTo(2);
    assertThat(echoes).as("the completed step was not run again").hasValue(1);
  }

  @Test
  void graphOfARun_classesEachStepByItsState_andAnUnknownRunExits3ListingRecentOnes()
      throws Exception {
    Cli.Result failed = cli("workflow", "run", definition("flaky", FLAKY).toString(), "--json");
    String runId = Json.parse(failed.out()).path("runId").asString();

    Cli.Result graph = cli("workflow", "graph", runId);

    assertThat(graph.exitCode()).as(graph.err()).isZero();
    assertThat(graph.out())
        .startsWith("flowchart TD")
        .contains("s_first --> s_shaky")
        .contains("classDef completed ")
        .contains("class s_first completed")
        .contains("class s_shaky failed");

    Cli.Result unknown = cli("workflow", "graph", "run-00000000000000000000000000");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err())
        .contains("no run 'run-00000000000000000000000000'")
        .contains("recent runs")
        .contains(runId);
    assertThat(cli("workflow", "graph", "run-NotAnId").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    Cli.Result missing = cli("workflow", "graph", dir.resolve("none.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("no such file").contains("run id");
  }

  @Test
  void retryFrom_anUnknownStep_namesTheStepsThereAre() throws Exception {
    cli("workflow", "run", definition("flaky", FLAKY).toString());
    String runId = WorkflowTasks.engine(phi).list().get(0).runId();

    Cli.Result result = cli("workflow", "retry", runId, "--from", "nope");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("no step 'nope'").contains("first, shaky");
  }

  @Test
  void resume_executesARunNobodyExecutes_withoutRunningFinishedStepsAgain() throws Exception {
    String runId = create("pair", PAIR);

    Cli.Result result = cli("workflow", "resume", runId);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("(pair): completed");
    assertThat(echoes).hasValue(2);
    assertThat(cli("workflow", "resume", runId).exitCode()).isEqualTo(ExitCodes.CONFLICT);
  }

  @Test
  void cancel_ofARunNobodyExecutes_carriesTheCancelOut() throws Exception {
    String runId = create("waiting", WAITING);

    Cli.Result result = cli("workflow", "cancel", runId, "--reason", "not today");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("(waiting): canceled");
    RunView view = WorkflowTasks.engine(phi).status(runId).orElseThrow();
    assertThat(view.status()).isEqualTo(RunStatus.CANCELED);
    assertThat(view.step("pause").orElseThrow().status()).isEqualTo(StepStatus.CANCELED);
    assertThat(cli("workflow", "cancel", runId).exitCode()).isEqualTo(ExitCodes.CONFLICT);
  }

  @Test
  void detach_runsInABackgroundProcess_thatWritesItsLogBesideTheJournal() throws Exception {
    Cli.Result result =
        cli("workflow", "run", definition("pair", PAIR).toString(), "--detach", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode started = Json.parse(result.out());
    String runId = started.path("runId").asString();
    Path log = Path.of(started.path("log").asString());
    assertThat(log).hasFileName(runId + ".log");
    await()
        .atMost(WAIT)
        .until(
            () ->
                WorkflowTasks.engine(phi)
                    .status(runId)
                    .map(v -> v.status().isDone())
                    .orElse(false));
    assertThat(WorkflowTasks.engine(phi).status(runId).orElseThrow().status())
        .isEqualTo(RunStatus.COMPLETED);
    await().atMost(WAIT).until(() -> Files.readString(log).contains("completed"));
  }

  @Test
  void resume_afterTheOrchestratorWasKilled_finishesTheRun_eachStepOnce() throws Exception {
    webc.drain(Duration.ofSeconds(10)); // nobody answers while the first orchestrator lives
    AgentName later = AgentName.of("later");
    phi.init(List.of(later));
    String yaml = PAIR.replace("agent: webc", "agent: later");
    ChildProcess orchestrator =
        ChildProcess.start(
            List.of(
                "--root",
                root.toString(),
                "--fast",
                "workflow",
                "run",
                definition("later", yaml).toString()));
    children.add(orchestrator);
    await()
        .atMost(WAIT)
        .until(
            () ->
                !WorkflowTasks.engine(phi).list().isEmpty()
                    && !phi.transport().pending(later).isEmpty());
    String runId = WorkflowTasks.engine(phi).list().get(0).runId();
    ProcessHandle.of(orchestrator.pid()).ifPresent(ProcessHandle::destroyForcibly); // kill -9
    orchestrator.awaitExit(WAIT);

    AtomicInteger handled = new AtomicInteger();
    try (Agent agent =
        phi.agent(later)
            .handle(
                "echo",
                d -> {
                  handled.incrementAndGet();
                  return Json.object().put("n", d.payload().path("n").asInt());
                })
            .build()) {
      agent.start();
      Cli.Result resumed = cli("workflow", "resume", runId);

      assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
      assertThat(resumed.out()).contains("(pair): completed");
      assertThat(handled).hasValue(2);
      agent.drain(Duration.ofSeconds(10));
    }
  }

  @Test
  void anUnknownRun_exits3_andListsTheRecentOnes() throws Exception {
    String runId = create("pair", PAIR);

    Cli.Result result = cli("workflow", "status", "run-nosuchrun");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err())
        .contains("no run 'run-nosuchrun'")
        .contains("recent runs")
        .contains(runId);
  }

  @Test
  void anInvalidDefinition_exits2_namingTheStep() throws Exception {
    Path bad =
        definition(
            "bad",
            """
            name: bad
            steps:
              - id: a
                dependsOn: [nowhere]
                task: {agent: webc, command: echo}
            """);

    Cli.Result result = cli("workflow", "run", bad.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("'a'").contains("nowhere");
  }

  @Test
  void anUnknownOrchestrator_isAUsageError() throws Exception {
    Cli.Result result =
        cli("workflow", "run", definition("pair", PAIR).toString(), "--as", "ghost");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("unknown agent 'ghost'");
  }
}
