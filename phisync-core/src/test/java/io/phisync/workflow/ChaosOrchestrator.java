package io.phisync.workflow;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workflow chaos campaign's orchestrator (a child JVM, killed with kill -9 and replaced): it
 * resumes every run of the root that has not ended, then creates runs of a three-step workflow (s0,
 * then s1 and s2 in parallel, each a task {@code work} of the worker agent) until the root holds
 * {@code <count>} runs, at most {@code <in-flight>} executing at once, and exits 0 once every run
 * has ended. Which runs exist is read from the journals, not from a log of its own, so a kill
 * between a create and anything after it loses nothing. It appends {@code started <runId>} and
 * {@code ended <runId> <status>} to its log for the report.
 *
 * <p>Arguments: {@code <root> <worker agent> <count> <in-flight> <log-file>}.
 */
public final class ChaosOrchestrator {
  static final AgentName DC = AgentName.of("dc");

  private ChaosOrchestrator() {}

  @SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
  static WorkflowDefinition threeSteps(AgentName worker) {
    List<Step> steps = new ArrayList<>();
    String[][] deps = {{}, {"s0"}, {"s0"}};
    for (int i = 0; i < deps.length; i++) {
      steps.add(
          new Step(
              "s" + i,
              List.of(deps[i]),
              TriggerRule.ALL_SUCCESS,
              null,
              Retry.NONE,
              null,
              null,
              new StepBody.Task(worker, "work", Json.object().put("i", i))));
    }
    return new WorkflowDefinition(
        "chaos", "", steps, null, null, WorkflowDefinition.StepDefaults.NONE);
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    AgentName worker = AgentName.of(args[1]);
    int count = Integer.parseInt(args[2]);
    int inFlight = Integer.parseInt(args[3]);
    WorkflowDefinition definition = threeSteps(worker);
    try (FileChannel log =
            FileChannel.open(
                Path.of(args[4]),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      Workflows workflows = phi.workflows();
      Map<String, Workflows.RunHandle> running = new LinkedHashMap<>();
      int created = 0;
      for (RunView run : workflows.list()) {
        created++;
        if (!run.status().isDone()) {
          running.put(run.runId(), workflows.resume(run.runId(), RunOptions.as(DC)));
        }
      }
      while (created < count || !running.isEmpty()) {
        while (created < count && running.size() < inFlight) {
          String runId = workflows.create(definition, Json.object(), RunOptions.as(DC));
          created++;
          line(log, "started " + runId);
          running.put(runId, workflows.resume(runId, RunOptions.as(DC)));
        }
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
          var run = it.next();
          java.util.Optional<RunView> ended;
          try {
            ended = run.getValue().await(Duration.ofMillis(50));
          } catch (WorkflowException e) {
            // Its engine thread stopped (e.g. the lock's lease lost while descheduled): again.
            line(log, "engine stopped " + run.getKey() + ": " + e.getMessage());
            ended = workflows.status(run.getKey()).filter(v -> v.status().isDone());
            if (ended.isEmpty()) {
              Thread.sleep(500);
              run.setValue(workflows.resume(run.getKey(), RunOptions.as(DC)));
              continue;
            }
          }
          if (ended.isPresent() && ended.get().status().isDone()) {
            line(log, "ended " + run.getKey() + " " + ended.get().status().label());
            it.remove();
          }
        }
      }
    }
    System.exit(0);
  }

  /** One write per line: a kill -9 leaves whole lines only. */
  private static void line(FileChannel log, String line) throws java.io.IOException {
    ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      log.write(buffer);
    }
  }
}
