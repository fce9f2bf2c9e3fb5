package io.phisync.bench.process;

import io.phisync.PhiSync;
import io.phisync.bus.MessageBus;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.spi.Claim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Runs a role's code path on a private scratch directory before the child reports ready, so the
 * timed part measures warm code, not class loading and the first compilations.
 */
final class Warmup {
  static final int ROUNDS = 300;
  static final int WORKFLOW_STEPS = 20;
  static final int WORKFLOW_ROUNDS = 25;
  private static final AgentName FROM = AgentName.of("dc");
  private static final AgentName TO = AgentName.of("webc");

  private Warmup() {}

  /** Send, receive, ack; request, reply, take the response: ROUNDS times each. */
  static void phisync(Mode mode) throws IOException, InterruptedException {
    Path root = Files.createTempDirectory("phisync-bench-warmup-");
    try (PhiSync phi = PhiSync.builder(root).durability(mode.durability()).open()) {
      phi.init(List.of(FROM, TO));
      MessageBus bus = phi.bus();
      for (int i = 0; i < ROUNDS; i++) {
        bus.notify(FROM, TO, "warmup", Json.object().put("sentMicros", WallClock.micros()));
        bus.ack(bus.receive(TO, Duration.ofSeconds(5)).orElseThrow());
        Envelope request = bus.sendRequest(FROM, TO, "warmup", Json.object(), null);
        Claim claim = bus.receive(TO, Duration.ofSeconds(5)).orElseThrow();
        bus.reply(claim, claim.envelope().payload());
        Envelope response = bus.awaitResponse(request, Duration.ofSeconds(5)).orElseThrow();
        PlainFiles.sentMicros(response);
      }
    } finally {
      delete(root);
    }
  }

  /**
   * Runs a chain and a fan-out of {@value #WORKFLOW_STEPS} tasks {@value #WORKFLOW_ROUNDS} times
   * each, with a no-op agent on a thread of this process: the engine's code path (codec,
   * validation, journal, fold) warm before the timed runs. Five rounds left the engine's code still
   * being compiled during the timed chain (BENCHMARKS, "A workflow step, timed in place").
   */
  static void workflows(Mode mode) throws IOException, InterruptedException {
    Path root = Files.createTempDirectory("phisync-bench-warmup-");
    try (PhiSync phi = PhiSync.builder(root).durability(mode.durability()).open()) {
      phi.init(List.of(FROM, TO));
      AtomicBoolean stop = new AtomicBoolean();
      Thread agent =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    Optional<Claim> claim = phi.bus().receive(TO, Duration.ofMillis(200));
                    if (claim.isPresent()) {
                      phi.bus().reply(claim.get(), claim.get().envelope().payload());
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bench-warmup-agent");
      agent.setDaemon(true);
      agent.start();
      try {
        for (int i = 0; i < WORKFLOW_ROUNDS; i++) {
          PhiSyncOrchestrator.timeRun(phi, FROM, WorkflowShapes.chain(TO, WORKFLOW_STEPS));
          PhiSyncOrchestrator.timeRun(phi, FROM, WorkflowShapes.fanOut(TO, WORKFLOW_STEPS));
        }
      } finally {
        stop.set(true);
        agent.join(Duration.ofSeconds(10).toMillis());
      }
    } finally {
      delete(root);
    }
  }

  /** Write, list, read, parse and move plain message files: ROUNDS times. */
  static void plain() throws IOException, InterruptedException {
    Path inbox = Files.createTempDirectory("phisync-bench-warmup-");
    try {
      CodexPoller poller = new CodexPoller(inbox);
      for (int i = 0; i < ROUNDS; i++) {
        String id = PlainFiles.newId();
        PlainFiles.write(
            inbox,
            "req-" + id + ".json",
            PlainFiles.bytes(PlainFiles.message(id, "dc", "webc", "request")),
            false);
        for (Path message : poller.poll(() -> false)) {
          PlainFiles.sentMicros(PlainFiles.parse(Files.readAllBytes(message)));
          poller.processed(message);
        }
      }
    } finally {
      delete(inbox);
    }
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
