package io.phisync.bench.process;

import java.nio.file.Path;

/**
 * The references' producer: codex-style {@code req-<guid>.json} files written into the inbox by
 * create-write-rename, {@code intervalMs} apart (0: flat out).
 */
final class PlainProducer implements Role {
  private final ChildOptions options;

  PlainProducer(ChildOptions options) {
    this.options = options;
  }

  @Override
  public void prepare() throws Exception {
    Warmup.plain();
    Warmup.plainBurst(options.integer(Child.BURST, 0));
  }

  @Override
  public ChildResult run() throws Exception {
    Path root = options.path("root");
    String from = options.get("from");
    String to = options.get("to");
    Path inbox = root.resolve(to).resolve("inbox");
    int count = options.integer("count");
    long interval = options.longValue("intervalMs", 0);
    boolean fsync = options.mode().fsync();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (interval > 0) {
        Thread.sleep(interval);
      }
      String id = PlainFiles.newId();
      byte[] bytes = PlainFiles.bytes(PlainFiles.message(id, from, to, "notification"));
      PlainFiles.write(inbox, "req-" + id + ".json", bytes, fsync);
    }
    return new ChildResult(count, System.nanoTime() - start, new long[0]);
  }
}
