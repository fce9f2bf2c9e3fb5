package io.phisync.bench.scenario;

import io.phisync.bench.process.Child;
import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the usual child set-ups: one consumer with producers, a responder with a requester. */
final class Children {
  private static final Duration READY = Duration.ofMinutes(2);
  private static final Duration DONE = Duration.ofMinutes(30);

  private Children() {}

  /**
   * Starts one consumer of {@code producers * perProducer} messages and the producers (each in its
   * own JVM), starts them together and returns the consumer's result.
   */
  static ChildResult oneWay(
      BenchRun run,
      Subject subject,
      Mode mode,
      Path root,
      int producers,
      int perProducer,
      long intervalMs,
      int burst)
      throws Exception {
    List<Child> all = new ArrayList<>();
    try {
      Child consumer =
          Child.start(
              run.logs(),
              "consume",
              subject,
              mode,
              Map.of(
                  "root",
                  root,
                  "agent",
                  BenchRun.TO,
                  "count",
                  producers * perProducer,
                  Child.BURST,
                  burst));
      all.add(consumer);
      for (int i = 0; i < producers; i++) {
        all.add(
            Child.start(
                run.logs(),
                "produce",
                subject,
                mode,
                Map.of(
                    "root",
                    root,
                    "from",
                    BenchRun.FROM,
                    "to",
                    BenchRun.TO,
                    "count",
                    perProducer,
                    "intervalMs",
                    intervalMs,
                    Child.BURST,
                    burst)));
      }
      for (Child child : all) {
        child.awaitReady(READY);
      }
      for (Child child : all) {
        child.go();
      }
      return consumer.awaitResult(DONE);
    } finally {
      all.forEach(Child::close);
    }
  }

  /** Starts a consumer on an inbox that is already full and returns its result. */
  static ChildResult drain(BenchRun run, Subject subject, Mode mode, Path root, int count)
      throws Exception {
    try (Child consumer =
        Child.start(
            run.logs(),
            "consume",
            subject,
            mode,
            Map.of("root", root, "agent", BenchRun.TO, "count", count))) {
      consumer.awaitReady(READY);
      consumer.go();
      return consumer.awaitResult(DONE);
    }
  }

  /** A responder and a requester making {@code count} round trips; the requester's result. */
  static ChildResult roundTrips(
      BenchRun run, Subject subject, Mode mode, Path root, int count, long intervalMs)
      throws Exception {
    try (Child responder =
            Child.start(
                run.logs(),
                "respond",
                subject,
                mode,
                Map.of("root", root, "agent", BenchRun.TO, "count", count));
        Child requester =
            Child.start(
                run.logs(),
                "request",
                subject,
                mode,
                Map.of(
                    "root", root,
                    "from", BenchRun.FROM,
                    "to", BenchRun.TO,
                    "count", count,
                    "intervalMs", intervalMs))) {
      responder.awaitReady(READY);
      requester.awaitReady(READY);
      responder.go();
      requester.go();
      return requester.awaitResult(DONE);
    }
  }

  /** The raw create-write-rename loop: {@code count} files into a fresh directory. */
  static ChildResult raw(BenchRun run, Mode mode, int count, int burst) throws Exception {
    Path dir = run.newDir("raw-" + mode.label());
    try (Child writer =
        Child.start(
            run.logs(),
            "raw",
            Subject.RAW_FS,
            mode,
            Map.of("dir", dir, "count", count, Child.BURST, burst))) {
      writer.awaitReady(READY);
      writer.go();
      return writer.awaitResult(DONE);
    }
  }
}
