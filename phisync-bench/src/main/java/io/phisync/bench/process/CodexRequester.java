package io.phisync.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The codex's requester ({@code Request-Research}): write {@code req-<guid>.json} into the
 * responder's inbox, then check for {@code resp-<guid>.json} in its outbox every 500 ms.
 */
final class CodexRequester implements Role {
  static final long POLL_MS = 500;

  private final ChildOptions options;

  CodexRequester(ChildOptions options) {
    this.options = options;
  }

  @Override
  public void prepare() throws Exception {
    Warmup.plain();
  }

  @Override
  public ChildResult run() throws Exception {
    String from = options.get("from");
    String to = options.get("to");
    Path agentDir = options.path("root").resolve(to);
    boolean fsync = options.mode().fsync();
    return new RoundTrips(options)
        .run(
            () -> {
              String id = PlainFiles.newId();
              byte[] request = PlainFiles.bytes(PlainFiles.message(id, from, to, "request"));
              PlainFiles.write(agentDir.resolve("inbox"), "req-" + id + ".json", request, fsync);
              Path response = agentDir.resolve("outbox").resolve("resp-" + id + ".json");
              while (!Files.exists(response)) {
                Thread.sleep(POLL_MS);
              }
              PlainFiles.parse(Files.readAllBytes(response));
              Files.delete(response);
            });
  }
}
