package io.phisync.bench.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file system's limit: a bare create-write-rename loop of {@code count} files the size of a
 * small envelope, no JSON, fsync of file and directory when durable.
 */
final class RawWriter implements Role {
  private static final byte[] BODY = "x".repeat(256).getBytes(StandardCharsets.US_ASCII);

  private final Path dir;
  private final int count;
  private final boolean fsync;
  private final int burst;

  RawWriter(ChildOptions options) {
    this.dir = options.path("dir");
    this.count = options.integer("count");
    this.fsync = options.mode().fsync();
    this.burst = options.integer(Child.BURST, 0);
  }

  @Override
  public void prepare() throws Exception {
    Files.createDirectories(dir);
    Warmup.rawBurst(burst, BODY);
  }

  @Override
  public ChildResult run() throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      PlainFiles.write(dir, "f-" + i, BODY, fsync);
    }
    return new ChildResult(count, System.nanoTime() - start, new long[0]);
  }
}
