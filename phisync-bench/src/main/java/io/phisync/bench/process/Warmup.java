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

  /** Messages of a burst sent (written) before they are all taken, then the next batch. */
  private static final int BATCH = 500;

  /** How long a burst waits at most for the compilations it started to finish. */
  private static final Duration SETTLE_LIMIT = Duration.ofSeconds(10);

  /** How long the JIT must have compiled nothing for a burst to count as settled. */
  private static final Duration SETTLE_QUIET = Duration.ofMillis(300);

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

  /**
   * A throughput role's steady state: {@code messages} notifications sent and then received and
   * acknowledged, {@value #BATCH} at a time, on a scratch root, so that the timed part runs code
   * the JIT's second tier has compiled instead of compiling it alongside (BENCHMARKS, "One-way,
   * fifth pass"). Fast mode whatever the role's: the JIT compiles the same code, and forced writes
   * would only make the burst longer.
   */
  static void phisyncBurst(int messages) throws IOException, InterruptedException {
    if (messages <= 0) {
      return;
    }
    long start = System.nanoTime();
    Path root = Files.createTempDirectory("phisync-bench-burst-");
    try (PhiSync phi = PhiSync.builder(root).durability(Mode.FAST.durability()).open()) {
      phi.init(List.of(FROM, TO));
      MessageBus bus = phi.bus();
      for (int done = 0; done < messages; done += BATCH) {
        int batch = Math.min(BATCH, messages - done);
        for (int i = 0; i < batch; i++) {
          bus.notify(FROM, TO, "warmup", Json.object().put("sentMicros", WallClock.micros()));
        }
        for (int i = 0; i < batch; i++) {
          Claim claim = bus.receive(TO, Duration.ofSeconds(5)).orElseThrow();
          PlainFiles.sentMicros(claim.envelope());
          bus.ack(claim);
        }
      }
    } finally {
      delete(root);
    }
    settle();
    burstDone("phisync", messages, start);
  }

  /**
   * The references' burst: {@code messages} plain message files written by create-write-rename,
   * then listed, read, parsed and moved as the codex's consumer does, {@value #BATCH} at a time.
   */
  static void plainBurst(int messages) throws IOException, InterruptedException {
    if (messages <= 0) {
      return;
    }
    long start = System.nanoTime();
    plainRounds(messages, BATCH);
    settle();
    burstDone("plain", messages, start);
  }

  /** The raw writer's burst: {@code messages} files of {@code body} by create-write-rename. */
  static void rawBurst(int messages, byte[] body) throws IOException, InterruptedException {
    if (messages <= 0) {
      return;
    }
    long start = System.nanoTime();
    Path dir = Files.createTempDirectory("phisync-bench-burst-");
    try {
      for (int done = 0; done < messages; done += BATCH) {
        int batch = Math.min(BATCH, messages - done);
        for (int i = 0; i < batch; i++) {
          PlainFiles.write(dir, "f-" + i, body, false);
        }
        for (int i = 0; i < batch; i++) {
          Files.delete(dir.resolve("f-" + i));
        }
      }
    } finally {
      delete(dir);
    }
    settle();
    burstDone("raw", messages, start);
  }

  /** Tells the child's log (stderr) how long a burst took, compilations included. */
  static void burstDone(String path, int messages, long startNanos) {
    System.err.printf(
        "warm-up burst: %d messages through the %s path in %d ms%n",
        messages, path, (System.nanoTime() - startNanos) / 1_000_000);
  }

  /**
   * Waits until this JVM's JIT has compiled nothing for {@link #SETTLE_QUIET}, at most {@link
   * #SETTLE_LIMIT}: a burst leaves its hottest methods queued for the second tier, and compiling
   * them would take a core from the timed part. Without a compilation bean, returns at once.
   */
  static void settle() throws InterruptedException {
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
    long last = jit.getTotalCompilationTime();
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < SETTLE_QUIET.toNanos()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
      long now = jit.getTotalCompilationTime();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
  }

  /** Write, list, read, parse and move plain message files: ROUNDS times. */
  static void plain() throws IOException, InterruptedException {
    plainRounds(ROUNDS, 1);
  }

  /** {@code messages} plain files written {@code batch} at a time, each batch then taken. */
  private static void plainRounds(int messages, int batch)
      throws IOException, InterruptedException {
    Path inbox = Files.createTempDirectory("phisync-bench-warmup-");
    try {
      CodexPoller poller = new CodexPoller(inbox);
      for (int done = 0; done < messages; done += batch) {
        for (int i = 0; i < Math.min(batch, messages - done); i++) {
          writePlain(inbox);
        }
        for (Path message : poller.poll(() -> false)) {
          PlainFiles.sentMicros(PlainFiles.parse(Files.readAllBytes(message)));
          poller.processed(message);
        }
      }
    } finally {
      delete(inbox);
    }
  }

  /** A codex-style request file, {@code req-<id>.json}, into {@code dir} by create-write-rename. */
  static void writePlain(Path dir) throws IOException {
    String id = PlainFiles.newId();
    PlainFiles.write(
        dir,
        "req-" + id + ".json",
        PlainFiles.bytes(PlainFiles.message(id, "dc", "webc", "request")),
        false);
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
