package io.phisync.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The codex's agent loop: poll the inbox with backoff, answer into the outbox, move to processed/.
 */
final class CodexResponder implements Role {
  private final ChildOptions options;

  CodexResponder(ChildOptions options) {
    this.options = options;
  }

  @Override
  public void prepare() throws Exception {
    Warmup.plain();
  }

  @Override
  public ChildResult run() throws Exception {
    Path agentDir = options.path("root").resolve(options.get("agent"));
    CodexPoller poller = new CodexPoller(agentDir.resolve("inbox"));
    boolean fsync = options.mode().fsync();
    int count = options.integer("count");
    int replied = 0;
    long start = System.nanoTime();
    while (replied < count) {
      int answered = replied;
      for (Path message : poller.poll(() -> answered >= count)) {
        PlainResponses.respond(
            agentDir.resolve("outbox"), PlainFiles.parse(Files.readAllBytes(message)), fsync);
        poller.processed(message);
        replied++;
      }
    }
    return new ChildResult(count, System.nanoTime() - start, new long[0]);
  }
}
