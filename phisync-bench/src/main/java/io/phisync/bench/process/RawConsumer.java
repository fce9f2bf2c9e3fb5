package io.phisync.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor of a consumer: woken by the JDK's WatchService, reads each file that arrives, takes the
 * sender's timestamp from it and removes it, or as {@link Subject#RAW_FS_KEPT} moves it into the
 * inbox's {@code processed/}, forced in durable mode (see {@link RawExchange}).
 */
final class RawConsumer extends RawRole {
  RawConsumer(ChildOptions options) {
    super(options);
  }

  @Override
  public ChildResult run() throws Exception {
    Path inbox = options.path("root").resolve(options.get("agent")).resolve("inbox");
    Tally tally = new Tally(options.integer("count"));
    boolean keep = options.subject() == Subject.RAW_FS_KEPT;
    RawExchange.keeping(inbox, keep);
    try (RawExchange exchange = new RawExchange(inbox)) {
      tally.start();
      while (!tally.isDone()) {
        for (Path file : exchange.arrived()) {
          if (!file.getFileName().toString().endsWith(".json") || !Files.exists(file)) {
            continue;
          }
          byte[] bytes = Files.readAllBytes(file);
          long at = WallClock.micros();
          RawExchange.remove(file, keep, options.mode().fsync());
          tally.seen(PlainFiles.sentMicros(PlainFiles.parse(bytes)), at);
        }
      }
    }
    return tally.result();
  }
}
