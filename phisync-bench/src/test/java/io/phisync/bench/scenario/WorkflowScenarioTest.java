package io.phisync.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.phisync.PhiSync;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.WorkflowShapes;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import io.phisync.workflow.RunStatus;
import io.phisync.workflow.RunView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class WorkflowScenarioTest {
  @TempDir Path dir;

  /** A no-op agent JVM and an orchestrator JVM, at a tiny size: both runs complete on the root. */
  @Test
  @Timeout(600)
  void tinyRun_completesBothWorkflows_andReportsPerStepFigures() throws Exception {
    List<String> progress = new CopyOnWriteArrayList<>();
    BenchRun run = new BenchRun(true, dir, progress::add, null, null);

    List<Measurement> rows = new WorkflowScenario(500, 4).run(run, Mode.FAST);

    assertThat(progress)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("workflow fast: 2 calls to warm up, 2 calls, a 4-step chain"))
        .anySatisfy(
            line ->
                assertThat(line).startsWith("workflow fast: 2 bare calls (block 1 of 3) done: "))
        .anySatisfy(
            line ->
                assertThat(line).startsWith("workflow fast: 2 bare calls (block 3 of 3) done: "))
        .anySatisfy(line -> assertThat(line).startsWith("workflow fast: 4-step chain done: "))
        .anySatisfy(line -> assertThat(line).startsWith("workflow fast: 4-branch fan-out done: "));
    assertThat(rows)
        .extracting(Measurement::metric)
        .containsExactly(
            "chain per step",
            "fan-out per step",
            "round trip",
            "chain overhead/step",
            "fan-out overhead/step",
            "chain / call",
            "fan-out / call");
    assertThat(rows).allSatisfy(m -> assertThat(m.mode()).isEqualTo("fast"));
    assertThat(rows.get(0).value()).isPositive();
    assertThat(rows.get(2).subject()).isEqualTo(WorkflowScenario.CALLS);
    Path root;
    try (Stream<Path> dirs = Files.list(dir)) {
      root = dirs.filter(p -> p.getFileName().toString().endsWith("-workflow")).findFirst().get();
    }
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      List<RunView> runs = phi.workflows().list();
      assertThat(runs)
          .hasSize(2)
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.COMPLETED));
      assertThat(runs)
          .extracting(RunView::workflow)
          .containsExactlyInAnyOrder("bench-chain", "bench-fanout");
      RunView chain =
          runs.stream().filter(r -> r.workflow().equals("bench-chain")).findFirst().get();
      assertThat(chain.steps()).hasSize(4);
    }
  }

  @Test
  @Timeout(10)
  void overhead_isWorkflowTimePerStepLessTheCallsOnEitherSideOfIt() {
    long[] micros = new long[5];
    micros[WorkflowShapes.CALLS] = 500_000; // 250 calls of 2 ms before the chain,
    micros[WorkflowShapes.CHAIN] = 2_500_000; // 5 ms a step,
    micros[WorkflowShapes.CALLS_BETWEEN] = 1_000_000; // 4 ms a call between,
    micros[WorkflowShapes.FAN_OUT] = 1_500_000; // 3 ms a branch,
    micros[WorkflowShapes.CALLS_AFTER] = 1_500_000; // 6 ms a call after: a machine slowing down.

    List<Measurement> rows = new WorkflowScenario().measurements(Mode.DURABLE, 500, micros);

    assertThat(rows.get(0).value()).isEqualTo(5.0); // chain: 2.5 s / 500
    assertThat(rows.get(1).value()).isEqualTo(3.0); // fan-out
    assertThat(rows.get(2).value()).isCloseTo(4.0, within(1e-9)); // all calls: (2 + 4 + 6) / 3
    assertThat(rows.get(3).value()).isCloseTo(2.0, within(1e-9)); // 5 - (2 + 4) / 2
    assertThat(rows.get(4).value()).isCloseTo(-2.0, within(1e-9)); // 3 - (4 + 6) / 2
    assertThat(rows.get(5).value()).isCloseTo(5.0 / 3, within(1e-9));
    assertThat(rows.get(6).value()).isCloseTo(0.6, within(1e-9));
  }

  @Test
  @Timeout(10)
  void callBlocks_areHalfTheSteps_andNeverEmpty() {
    assertThat(WorkflowShapes.callBlock(500)).isEqualTo(250);
    assertThat(WorkflowShapes.callBlock(4)).isEqualTo(2);
    assertThat(WorkflowShapes.callBlock(1)).isEqualTo(1);
  }

  @Test
  @Timeout(60)
  void shapes_validate_atTheFullSize() {
    try (PhiSync phi = PhiSync.builder(dir.resolve("root")).durability(Durability.FAST).open()) {
      phi.init(List.of(AgentName.of("dc"), AgentName.of("webc")));
      phi.workflows().validate(WorkflowShapes.chain(AgentName.of("webc"), 500));
      phi.workflows().validate(WorkflowShapes.fanOut(AgentName.of("webc"), 500));
    }
  }
}
