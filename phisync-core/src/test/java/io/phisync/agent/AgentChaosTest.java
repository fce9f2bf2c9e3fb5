package io.phisync.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import io.phisync.testing.ChildJvm;
import io.phisync.testing.chaos.Agents;
import io.phisync.testing.chaos.Campaign;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent-runtime workload of the chaos campaign: {@link Agent} instances in child JVMs ({@link
 * ChaosAgent}, every third one running its handler as a program through {@link Program#handler()})
 * serve requests from a requester process ({@link ChaosRequester}) while instances are killed with
 * {@code kill -9} and stopped past their lease. Counts requests sent, responses received and
 * handler effects; fails on any request unanswered or unhandled, any dead letter, any wrong answer,
 * and any second handling that the faults do not explain. A second handling is explained when the
 * earlier handler's instance was killed or stopped after its effect (before its ack: the
 * at-least-once window), or when the later handler's instance was stopped shortly before it (it
 * held the claim through the stall and ran the handler on waking, after another instance had
 * answered), or when it is a later attempt (a redelivery after the lease ran out: the earlier
 * handler did not ack or renew in time, e.g. descheduled on a loaded machine). The same attempt
 * handled twice without a stall is a failure. Handled-twice counts are reported by cause.
 *
 * <p>{@link #quick} runs in every build; {@link #campaign} with {@code ./mvnw -Pchaos verify}
 * (seed: {@code -Dchaos.seed=N}; size: {@code -Dchaos.requests=N}).
 */
@DisabledOnOs(OS.WINDOWS) // kill -9, SIGSTOP and sh.
class AgentChaosTest {
  private static final AgentName REQUESTER = AgentName.of("rq");
  private static final AgentName WORKER = AgentName.of("worker");

  @TempDir Path dir;

  record Plan(int requests, int agents, Duration lease, Duration meanGap, Duration faultWindow) {}

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void quick() throws Exception {
    run(new Plan(150, 3, Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofSeconds(8)));
  }

  @Test
  @Tag("chaos")
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void campaign() throws Exception {
    int requests = Integer.getInteger("chaos.requests", 5_000);
    run(
        new Plan(
            requests, 4, Duration.ofSeconds(2), Duration.ofMillis(900), Duration.ofSeconds(90)));
  }

  private void run(Plan plan) throws Exception {
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    System.out.println("chaos seed " + seed + " (replay with -Dchaos.seed=" + seed + "); " + plan);
    Path root = dir.resolve("root");
    Path stop = dir.resolve("stop");
    Path sent = dir.resolve("requester.sent");
    Path answers = dir.resolve("requester.answers");
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
                            isExec(instance) ? "exec" : "java")))) {
      phi.init(List.of(REQUESTER, WORKER));
      agents.start(plan.agents());
      Process requester =
          ChildJvm.start(
              ChaosRequester.class,
              Map.of(),
              dir.resolve("requester.log"),
              root.toString(),
              REQUESTER.value(),
              WORKER.value(),
              Integer.toString(plan.requests()),
              "r",
              sent.toString(),
              answers.toString(),
              "240");
      Campaign campaign =
          new Campaign(
              seed,
              List.of(new Kill9(), new StopPastLease(plan.lease().multipliedBy(2))),
              plan.meanGap());
      Map<String, Integer> faults =
          campaign.run(agents, () -> !requester.isAlive(), plan.faultWindow());
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !requester.isAlive());
      Files.createFile(stop);
      assertThat(agents.awaitExit(60)).as("agents drained and exited").isTrue();
      assertThat(requester.exitValue()).as("requester exit").isZero();

      Tally tally = tally(agents.notes(), plan.lease().multipliedBy(2));
      String report =
          String.format(
              "seed %d: %d requests sent, %d answered (%d with an error), %d agent instances"
                  + " (%d processes started, every third an exec agent), faults %s, %.0f s:"
                  + " %d lost, %d dead letters, %d handled twice (by cause: %s), %d unexplained;"
                  + " %d handlings (%d by exec agents)",
              seed,
              tally.sent.size(),
              tally.answered.size(),
              tally.errors.size(),
              plan.agents(),
              agents.started(),
              faults,
              (System.nanoTime() - started) / 1e9,
              tally.lost.size(),
              phi.bus().deadLetters().list().size(),
              tally.handledTwice,
              tally.causes,
              tally.unexplained.size(),
              tally.handlings,
              tally.execHandlings);
      System.out.println(report);
      Files.writeString(
          Paths.get("target", "chaos-agents.txt"), report + "\n", StandardCharsets.UTF_8);
      assertThat(tally.sent).as("sent").hasSize(plan.requests());
      assertThat(tally.lost).as("lost (unanswered or never handled)").isEmpty();
      assertThat(tally.errors).as("error responses").isEmpty();
      assertThat(phi.bus().deadLetters().list()).as("dead letters").isEmpty();
      assertThat(tally.unexplained).as("handled twice outside the window").isEmpty();
    }
  }

  private static boolean isExec(String instance) {
    return Integer.parseInt(instance.substring(instance.lastIndexOf('-') + 1)) % 3 == 2;
  }

  private static final class Tally {
    final Set<String> sent = new LinkedHashSet<>();
    final Map<String, String> answered = new HashMap<>();
    final List<String> errors = new ArrayList<>();
    final List<String> lost = new ArrayList<>();
    final List<String> unexplained = new ArrayList<>();
    final Map<String, Integer> causes = new TreeMap<>();
    int handledTwice;
    int handlings;
    int execHandlings;
  }

  private Tally tally(List<Agents.Note> notes, Duration stall) throws IOException {
    Tally tally = new Tally();
    tally.sent.addAll(Files.readAllLines(dir.resolve("requester.sent")));
    Path answers = dir.resolve("requester.answers");
    if (Files.exists(answers)) {
      for (String line : Files.readAllLines(answers)) {
        String[] parts = line.split(" ");
        tally.answered.put(parts[1], parts[2]);
        if (!parts[1].equals(parts[2])) {
          tally.errors.add(line);
        }
      }
    }
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
    for (String id : tally.sent) {
      if (!tally.answered.containsKey(id) || !byId.containsKey(id)) {
        tally.lost.add(id);
      }
    }
    for (List<Handling> handlings : byId.values()) {
      if (handlings.size() < 2) {
        continue;
      }
      tally.handledTwice++;
      handlings.sort(Comparator.comparingLong(Handling::at));
      for (int i = 1; i < handlings.size(); i++) {
        String cause = Handling.explain(handlings.get(i - 1), handlings.get(i), notes, stall, "");
        if (cause == null) {
          tally.unexplained.add(handlings.get(i - 1) + " then " + handlings.get(i));
        } else {
          tally.causes.merge(cause, 1, Integer::sum);
        }
      }
    }
    return tally;
  }
}
