package io.phisync.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor of a requester: writes {@code req-<n>.json} into the responder's inbox by
 * create-write-rename, then sleeps on the JDK's WatchService until {@code resp-req-<n>.json} is in
 * the responder's outbox, reads and removes it (see {@link RawExchange}).
 */
final class RawRequester extends RawRole {
  RawRequester(ChildOptions options) {
    super(options);
  }

  @Override
  public ChildResult run() throws Exception {
    Path agent = options.path("root").resolve(options.get("to"));
    Path inbox = Files.createDirectories(agent.resolve("inbox"));
    boolean fsync = options.mode().fsync();
    boolean keep = options.subject() == Subject.RAW_FS_KEPT;
    RawExchange.keeping(agent.resolve("outbox"), keep);
    int[] sent = {0};
    try (RawExchange outbox = new RawExchange(agent.resolve("outbox"))) {
      return new RoundTrips(options)
          .run(
              () -> {
                String name = "req-" + sent[0]++ + ".json";
                PlainFiles.write(inbox, name, RawExchange.BODY, fsync);
                Path response = agent.resolve("outbox").resolve("resp-" + name);
                outbox.await(response);
                RawExchange.take(response, keep);
              });
    }
  }
}
