package io.phisync.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor of a responder: woken by the JDK's WatchService, reads each request, writes {@code
 * resp-<name>} into its outbox by create-write-rename and removes the request (see {@link
 * RawExchange}).
 */
final class RawResponder extends RawRole {
  RawResponder(ChildOptions options) {
    super(options);
  }

  @Override
  public ChildResult run() throws Exception {
    Path agent = options.path("root").resolve(options.get("agent"));
    Path outbox = Files.createDirectories(agent.resolve("outbox"));
    boolean fsync = options.mode().fsync();
    boolean keep = options.subject() == Subject.RAW_FS_KEPT;
    RawExchange.keeping(agent.resolve("inbox"), keep);
    int count = options.integer("count");
    int replied = 0;
    long start = System.nanoTime();
    try (RawExchange exchange = new RawExchange(agent.resolve("inbox"))) {
      while (replied < count) {
        for (Path request : exchange.arrived()) {
          if (!Files.isRegularFile(request)) {
            continue;
          }
          Files.readAllBytes(request);
          PlainFiles.write(outbox, "resp-" + request.getFileName(), RawExchange.BODY, fsync);
          RawExchange.remove(request, keep, fsync);
          replied++;
        }
      }
    }
    return new ChildResult(count, System.nanoTime() - start, new long[0]);
  }
}
