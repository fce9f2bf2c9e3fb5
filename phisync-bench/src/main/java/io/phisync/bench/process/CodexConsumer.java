package io.phisync.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;

/** The codex's consumer: poll the inbox with backoff, parse each file, move it to processed/. */
final class CodexConsumer implements Role {
  private final ChildOptions options;

  CodexConsumer(ChildOptions options) {
    this.options = options;
  }

  @Override
  public void prepare() throws Exception {
    Warmup.plain();
    Warmup.plainBurst(options.integer(Child.BURST, 0));
  }

  @Override
  public ChildResult run() throws Exception {
    CodexPoller poller =
        new CodexPoller(options.path("root").resolve(options.get("agent")).resolve("inbox"));
    Tally tally = new Tally(options.integer("count"));
    tally.start();
    while (!tally.isDone()) {
      for (Path message : poller.poll(tally::isDone)) {
        long sent = PlainFiles.sentMicros(PlainFiles.parse(Files.readAllBytes(message)));
        long at = WallClock.micros();
        poller.processed(message);
        tally.seen(sent, at);
      }
    }
    return tally.result();
  }
}
