package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.agent.ChaosAgent;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import io.phisync.testing.ChildJvm;
import io.phisync.testing.chaos.Agents;
import io.phisync.testing.chaos.Campaign;
import io.phisync.testing.chaos.Fault;
import io.phisync.testing.chaos.Handling;
import io.phisync.testing.chaos.Kill9;
import io.phisync.testing.chaos.StopPastLease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The workflow chaos campaign: an orchestrator process ({@link ChaosOrchestrator}) runs many
 * three-step workflows whose steps are served by agent processes ({@link ChaosAgent}, Java and exec
 * handlers), while the orchestrator is killed with kill -9 at random instants (and replaced: the
 * new one resumes every run that has not ended) and the agents are killed or stopped past their
 * lease. Counted from the journals and the agents' own effect logs: workflows started and
 * completed, step attempts, handler runs per step attempt (one request id each). It fails on a run
 * that does not complete, a step without its output, a step attempt never handled, and a step
 * attempt handled twice that no fault to the agent explains (PROTOCOL sections 6 and 13: at least
 * once when an agent dies after its effect, before its ack; never because of the orchestrator).
 */
class WorkflowChaosTest {
  private static final AgentName WORKER = AgentName.of("worker");

  /** An exec handler's effect is written by its program, which may outlive its killed agent. */
  @TempDir Path dir;

  record Plan(
      int workflows,
      int inFlight,
      int agents,
      Duration lease,
      Duration meanGap,
      Duration orchestratorGap,
      Duration faultWindow) {}

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void quick() throws Exception {
    run(
        new Plan(
            20,
            2,
            2,
            Duration.ofMillis(1500),
            Duration.ofMillis(1000),
            Duration.ofMillis(2000),
            Duration.ofSeconds(15)));
  }

  @Test
  @Tag("chaos")
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void campaign() throws Exception {
    int workflows = Integer.getInteger("chaos.workflows", 600);
    run(
        new Plan(
            workflows,
            6,
            3,
            Duration.ofSeconds(2),
            Duration.ofMillis(1000),
            Duration.ofSeconds(1),
            Duration.ofSeconds(90)));
  }

  /**
   * kill -9 of the orchestrator, replaced at once by one that resumes its runs. It strikes once the
   * orchestrator has logged a line since it started (created or ended a run), so that a kill lands
   * mid-workflow rather than in a JVM still starting.
   */
  private static final class KillOrchestrator implements Fault {
    private final Path log;
    private long mark;

    KillOrchestrator(Path log) {
      this.log = log;
    }

    private long lines() throws IOException {
      return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    @Override
    public String name() {
      return "kill -9 of the orchestrator";
    }

    @Override
    public boolean inject(Agents orchestrator, Random random) throws Exception {
      Process victim = orchestrator.pick(random);
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> !victim.isAlive() || lines() > mark);
      } catch (org.awaitility.core.ConditionTimeoutException slow) {
        // No progress for 30 s: kill it anyway.
      }
      if (!victim.isAlive()) {
        return false; // Done with every run: nothing left to interrupt.
      }
      if (!ChildJvm.kill9(victim)) {
        throw new IllegalStateException("process " + victim.pid() + " survived kill -9");
      }
      orchestrator.note(victim, name());
      mark = lines();
      orchestrator.replace(victim);
      return true;
    }
  }

  private void run(Plan plan) throws Exception {
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    System.out.println("chaos seed " + seed + " (replay with -Dchaos.seed=" + seed + "); " + plan);
    Path root = dir.resolve("root");
    Path stop = dir.resolve("stop");
    Path orchestratorLog = dir.resolve("orchestrator.runs");
    long started = System.nanoTime();
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open();
        Agents agents =
            new Agents(
                Agents.of(
                    ChaosAgent.class,
                    dir,
                    instance ->
                        List.of(
                            root.toString(),
                            WORKER.value(),
                            dir.resolve(instance + ".effects").toString(),
                            Long.toString(plan.lease().toMillis()),
                            stop.toString(),
                            isExec(instance) ? "exec" : "java")));
        Agents orchestrator =
            new Agents(
                Agents.of(
                    ChaosOrchestrator.class,
                    dir,
                    instance ->
                        List.of(
                            root.toString(),
                            WORKER.value(),
                            Integer.toString(plan.workflows()),
                            Integer.toString(plan.inFlight()),
                            orchestratorLog.toString())),
                /* restartSame= */ true)) {
      phi.init(List.of(ChaosOrchestrator.DC, WORKER));
      agents.start(plan.agents());
      orchestrator.start("orchestrator");
      // Two campaigns at once, so that a stalled agent does not hold the orchestrator's kills back:
      // kill -9 of the orchestrator (its own thread), kill -9 and SIGSTOP of the agents (here).
      java.util.function.BooleanSupplier done =
          () -> orchestrator.live().stream().noneMatch(Process::isAlive);
      Campaign orchestratorKills =
          new Campaign(
              seed + 1, List.of(new KillOrchestrator(orchestratorLog)), plan.orchestratorGap());
      java.util.concurrent.CompletableFuture<Map<String, Integer>> kills =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return orchestratorKills.run(orchestrator, done, plan.faultWindow());
                } catch (Exception e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              });
      Campaign campaign =
          new Campaign(
              seed,
              List.of(new Kill9(), new StopPastLease(plan.lease().multipliedBy(2))),
              plan.meanGap());
      Map<String, Integer> faults =
          new java.util.LinkedHashMap<>(campaign.run(agents, done, plan.faultWindow()));
      faults.putAll(kills.get(plan.faultWindow().toSeconds() + 60, TimeUnit.SECONDS));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> orchestrator.live().stream().noneMatch(Process::isAlive));
      Files.createFile(stop);
      assertThat(agents.awaitExit(60)).as("agents drained and exited").isTrue();
      for (Process p : orchestrator.live()) {
        assertThat(p.exitValue()).as("the last orchestrator's exit").isZero();
      }

      List<Agents.Note> notes = new ArrayList<>(agents.notes());
      Tally tally = tally(phi, notes, plan.lease().multipliedBy(2));
      String report =
          String.format(
              "seed %d: %d workflows started, %d completed (%d resumes by %d orchestrator"
                  + " processes), %d agent instances (%d processes started, every third an exec"
                  + " agent), faults %s, %.0f s: %d step attempts, %d handler runs (%d by exec"
                  + " agents), %d step attempts handled once, %d handled twice (by cause: %s), %d"
                  + " unexplained; %d lost",
              seed,
              tally.runs,
              tally.completed,
              tally.attached - tally.runs,
              orchestrator.started(),
              plan.agents(),
              agents.started(),
              faults,
              (System.nanoTime() - started) / 1e9,
              tally.stepAttempts,
              tally.handlings,
              tally.execHandlings,
              tally.handledOnce,
              tally.handledTwice,
              tally.causes,
              tally.unexplained.size(),
              tally.lost.size());
      System.out.println(report);
      Files.createDirectories(Paths.get("target"));
      Files.writeString(
          Paths.get("target", "chaos-workflows.txt"), report + "\n", StandardCharsets.UTF_8);
      assertThat(tally.runs).as("workflows started").isEqualTo(plan.workflows());
      assertThat(tally.lost).as("lost (runs not completed, steps without output)").isEmpty();
      assertThat(tally.unexplained).as("step attempts handled twice outside the window").isEmpty();
      assertThat(phi.bus().deadLetters().list()).as("dead letters").isEmpty();
    }
  }

  private static boolean isExec(String instance) {
    return Integer.parseInt(instance.substring(instance.lastIndexOf('-') + 1)) % 3 == 2;
  }

  private static final class Tally {
    int runs;
    int completed;
    long attached;
    int stepAttempts;
    int handlings;
    int execHandlings;
    int handledOnce;
    int handledTwice;
    final List<String> lost = new ArrayList<>();
    final List<String> unexplained = new ArrayList<>();
    final Map<String, Integer> causes = new TreeMap<>();
  }

  private Tally tally(PhiSync phi, List<Agents.Note> notes, Duration stall) throws IOException {
    Tally tally = new Tally();
    Map<String, List<Handling>> byId = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".effects")).toList()) {
        String name = file.getFileName().toString();
        String instance = name.substring(0, name.length() - ".effects".length());
        for (String line : Files.readAllLines(file)) {
          String[] parts = line.split(" ");
          if (parts.length != 4 || !parts[0].equals("handled")) {
            tally.unexplained.add(instance + ": torn or unknown line '" + line + "'");
            continue;
          }
          Handling h =
              new Handling(
                  parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]), instance);
          byId.computeIfAbsent(h.id(), k -> new ArrayList<>()).add(h);
          tally.handlings++;
          if (isExec(instance)) {
            tally.execHandlings++;
          }
        }
      }
    }
    for (RunView run : phi.workflows().list()) {
      tally.runs++;
      if (run.status() == RunStatus.COMPLETED) {
        tally.completed++;
      } else {
        tally.lost.add(run.runId() + " " + run.status().label());
      }
      tally.attached +=
          phi
              .transport()
              .log(io.phisync.spi.LogKind.WORKFLOWS)
              .from(io.phisync.protocol.StateKey.of(run.runId()), 1)
              .stream()
              .filter(r -> r.record().path("type").asString().equals("OrchestratorAttached"))
              .count();
      for (RunView.StepView step : run.steps()) {
        tally.stepAttempts += step.attempt();
        JsonNode output = step.output();
        String requestId = RunIds.requestId(run.runId(), step.id(), step.attempt(), false);
        if (output == null || !output.path("done").asString("").equals(requestId)) {
          tally.lost.add(run.runId() + " " + step.id() + ": output " + output);
        }
        for (int attempt = 1; attempt <= step.attempt(); attempt++) {
          List<Handling> handlings =
              byId.getOrDefault(
                  RunIds.requestId(run.runId(), step.id(), attempt, false), List.of());
          if (handlings.isEmpty()) {
            tally.lost.add(run.runId() + " " + step.id() + " attempt " + attempt + ": never run");
          } else if (handlings.size() == 1) {
            tally.handledOnce++;
          } else {
            tally.handledTwice++;
            List<Handling> sorted = new ArrayList<>(handlings);
            sorted.sort(Comparator.comparingLong(Handling::at));
            for (int i = 1; i < sorted.size(); i++) {
              String cause =
                  Handling.explain(sorted.get(i - 1), sorted.get(i), notes, stall, " of the agent");
              if (cause == null) {
                tally.unexplained.add(sorted.get(i - 1) + " then " + sorted.get(i));
              } else {
                tally.causes.merge(cause, 1, Integer::sum);
              }
            }
          }
        }
      }
    }
    return tally;
  }
}
