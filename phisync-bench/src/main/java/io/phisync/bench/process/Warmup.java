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
import java.util.stream.Stream;

/**
 * Runs a role's code path on a private scratch directory before the child reports ready, so the
 * timed part measures warm code, not class loading and the first compilations.
 */
final class Warmup {
  static final int ROUNDS = 300;
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
