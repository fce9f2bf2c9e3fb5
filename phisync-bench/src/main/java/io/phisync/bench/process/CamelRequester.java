package io.phisync.bench.process;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Camel on both sides: the request is written into the responder's inbox, a second file route on
 * the responder's outbox ({@code include=resp-.*}) completes the wait.
 */
final class CamelRequester implements Role {
  private final ChildOptions options;
  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
  private @Nullable CamelRoutes camel;

  CamelRequester(ChildOptions options) {
    this.options = options;
  }

  @Override
  public void prepare() throws Exception {
    Path agentDir = options.path("root").resolve(options.get("to"));
    camel =
        new CamelRoutes(
            agentDir.resolve("outbox"),
            "resp-.*\\.json",
            exchange -> {
              String id =
                  PlainFiles.parse(CamelRoutes.body(exchange)).path("correlationId").asString();
              CompletableFuture<Void> waiter = waiting.remove(id);
              if (waiter != null) {
                waiter.complete(null);
              }
            },
            options.integer(Child.BURST, 0));
  }

  @Override
  public ChildResult run() throws Exception {
    if (camel == null) {
      throw new IllegalStateException("not prepared");
    }
    camel.startRoute();
    String from = options.get("from");
    String to = options.get("to");
    Path inbox = options.path("root").resolve(to).resolve("inbox");
    boolean fsync = options.mode().fsync();
    return new RoundTrips(options)
        .run(
            () -> {
              String id = PlainFiles.newId();
              CompletableFuture<Void> response = new CompletableFuture<>();
              waiting.put(id, response);
              byte[] request = PlainFiles.bytes(PlainFiles.message(id, from, to, "request"));
              PlainFiles.write(inbox, "req-" + id + ".json", request, fsync);
              response.get(30, TimeUnit.SECONDS);
            });
  }

  @Override
  public void close() {
    if (camel != null) {
      camel.close();
    }
  }
}
