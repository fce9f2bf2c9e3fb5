package io.phisync.bench.process;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Camel's file consumer on the inbox; the processor parses the request and writes the response. */
final class CamelResponder implements Role {
  private final ChildOptions options;
  private final CountDownLatch done;
  private @Nullable CamelRoutes camel;

  CamelResponder(ChildOptions options) {
    this.options = options;
    this.done = new CountDownLatch(options.integer("count"));
  }

  @Override
  public void prepare() throws Exception {
    Path agentDir = options.path("root").resolve(options.get("agent"));
    boolean fsync = options.mode().fsync();
    camel =
        new CamelRoutes(
            agentDir.resolve("inbox"),
            "",
            exchange -> {
              PlainResponses.respond(
                  agentDir.resolve("outbox"), PlainFiles.parse(CamelRoutes.body(exchange)), fsync);
              done.countDown();
            },
            options.integer(Child.BURST, 0));
  }

  @Override
  public ChildResult run() throws Exception {
    if (camel == null) {
      throw new IllegalStateException("not prepared");
    }
    long start = System.nanoTime();
    camel.startRoute();
    if (!done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("gave up waiting for requests");
    }
    return new ChildResult(options.integer("count"), System.nanoTime() - start, new long[0]);
  }

  @Override
  public void close() {
    if (camel != null) {
      camel.close();
    }
  }
}
