package io.phisync.bench.process;

import org.jspecify.annotations.Nullable;

/** Camel's file consumer on the inbox; its processor parses the JSON. */
final class CamelConsumer implements Role {
  private final ChildOptions options;
  private final Tally tally;
  private @Nullable CamelRoutes camel;

  CamelConsumer(ChildOptions options) {
    this.options = options;
    this.tally = new Tally(options.integer("count"));
  }

  @Override
  public void prepare() throws Exception {
    camel =
        new CamelRoutes(
            options.path("root").resolve(options.get("agent")).resolve("inbox"),
            "",
            exchange -> {
              long sent = PlainFiles.sentMicros(PlainFiles.parse(CamelRoutes.body(exchange)));
              tally.seen(sent, WallClock.micros());
            },
            options.integer(Child.BURST, 0));
  }

  @Override
  public ChildResult run() throws Exception {
    if (camel == null) {
      throw new IllegalStateException("not prepared");
    }
    tally.start();
    camel.startRoute();
    tally.await();
    return tally.result();
  }

  @Override
  public void close() {
    if (camel != null) {
      camel.close();
    }
  }
}
