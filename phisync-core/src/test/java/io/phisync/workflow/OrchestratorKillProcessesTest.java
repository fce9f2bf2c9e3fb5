package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.agent.Agent;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.Durability;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import io.phisync.spi.RevisionLog;
import io.phisync.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The issue's test: the orchestrator of a 30-step workflow (the issue asks for 20; with one journal
 * entry per step, 30 leave room for every kill) is a child JVM, killed with kill -9 at random
 * points (after one or two journal entries past its OrchestratorAttached) and resumed each time by
 * a new child JVM, until the run completes. The test's own agent counts handler runs per (step,
 * attempt): exactly one each, and every step's output is in the run.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OrchestratorKillProcessesTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName CMDC = AgentName.of("cmdc");
  private static final int STEPS = 30;
  private static final int KILLS = 8;

  @TempDir Path root;
  @TempDir Path logs;

  @SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
  static WorkflowDefinition thirtySteps() {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      var payload = Json.object().put("i", i);
      if (i > 0) {
        payload.put("previous", "${steps.s" + (i - 1) + ".output.value}");
      }
      // s0..s29: a chain, with s5..s8 fanning out from s4 and s9 gathering them.
      List<String> deps;
      if (i == 0) {
        deps = List.of();
      } else if (i >= 5 && i <= 8) {
        deps = List.of("s4");
        payload.remove("previous");
      } else if (i == 9) {
        deps = List.of("s5", "s6", "s7", "s8");
      } else {
        deps = List.of("s" + (i - 1));
      }
      steps.add(
          new Step(
              "s" + i,
              deps,
              TriggerRule.ALL_SUCCESS,
              null,
              Retry.NONE,
              null,
              null,
              new StepBody.Task(CMDC, "work", payload)));
    }
    return new WorkflowDefinition(
        "kill-resume", "", steps, null, null, WorkflowDefinition.StepDefaults.NONE);
  }

  @Test
  void killedAtRandomPointsAndResumedEachTime_everyStepAttemptRunsExactlyOnce() throws Exception {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Random random = new Random();
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      phi.init(List.of(DC, CMDC));
      Agent agent =
          phi.agent(CMDC)
              .concurrency(4)
              .heartbeatInterval(Duration.ofMillis(500))
              .handle(
                  "work",
                  d -> {
                    var h = java.util.Objects.requireNonNull(d.message().headers());
                    runs.computeIfAbsent(
                            h.get("workflowStep") + "#" + h.get("workflowAttempt"),
                            k -> new AtomicInteger())
                        .incrementAndGet();
                    Thread.sleep(random.nextInt(40));
                    int i = d.payload().path("i").asInt();
                    return Json.object().put("value", "v" + i).put("i", i);
                  })
              .build();
      agent.start();
      try {
        String runId = phi.workflows().create(thirtySteps(), Json.object(), RunOptions.as(DC));
        RevisionLog log = phi.transport().log(LogKind.WORKFLOWS);
        StateKey key = StateKey.of(runId);
        int kills = 0;
        int round = 0;
        while (true) {
          round++;
          Path out = logs.resolve("orchestrator-" + round + ".log");
          long before = log.latest(key).map(Revision::revision).orElse(0L);
          Process child =
              ChildJvm.start(OrchestratorChild.class, Map.of(), out, root.toString(), runId);
          if (kills < KILLS) {
            long target = before + 2 + random.nextInt(2);
            await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(2))
                .until(
                    () ->
                        !child.isAlive()
                            || log.latest(key).map(Revision::revision).orElse(0L) >= target);
            if (child.isAlive()) {
              assertThat(ChildJvm.kill9(child)).isTrue();
              kills++;
              continue;
            }
          }
          assertThat(child.waitFor(180, TimeUnit.SECONDS))
              .as("orchestrator %d ended", round)
              .isTrue();
          assertThat(child.exitValue())
              .as("orchestrator %d's exit (log %s)", round, java.nio.file.Files.readString(out))
              .isZero();
          break;
        }

        RunView view = phi.workflows().status(runId).orElseThrow();
        assertThat(view.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(kills).isEqualTo(KILLS);
        for (int i = 0; i < STEPS; i++) {
          JsonNode output = view.step("s" + i).orElseThrow().output();
          assertThat(output).as("output of s%d", i).isNotNull();
          assertThat(java.util.Objects.requireNonNull(output).path("value").asString())
              .isEqualTo("v" + i);
          assertThat(view.step("s" + i).orElseThrow().attempt()).isEqualTo(1);
        }
        Map<String, Integer> counted = new java.util.TreeMap<>();
        runs.forEach((k, v) -> counted.put(k, v.get()));
        Map<String, Integer> expected = new java.util.TreeMap<>();
        for (int i = 0; i < STEPS; i++) {
          expected.put("s" + i + "#1", 1);
        }
        assertThat(counted).isEqualTo(expected);
        long attached =
            log.from(key, 1).stream()
                .filter(r -> r.record().path("type").asString().equals("OrchestratorAttached"))
                .count();
        assertThat(attached).isEqualTo(KILLS + 1);
      } finally {
        agent.drain(Duration.ofSeconds(10));
      }
    }
  }
}
