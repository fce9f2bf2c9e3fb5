package io.phisync.bench.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The floor of a file-based exchange as a Java program sees it: create-write-rename to send, the
 * JDK's {@link WatchService} (inotify on Linux) to wake, one read and one unlink to take. No JSON
 * beyond the sender's timestamp, no claim, no lease, no deduplication: what any file protocol costs
 * at least on this machine, measured beside PhiSync in the same run.
 */
final class RawExchange implements AutoCloseable {
  static final byte[] BODY = "x".repeat(256).getBytes(StandardCharsets.US_ASCII);
  private static final String KEPT = "processed";

  private final Path dir;
  private final WatchService service;
  private boolean unlisted = true;

  /** Watches {@code dir} for files that appear in it. */
  RawExchange(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.service = dir.getFileSystem().newWatchService();
    dir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
  }

  /**
   * The message files that appeared since the last call, waiting up to a second for one: the names
   * the events give, or on the first call and on an overflow the directory's listing. Temp names (a
   * leading dot) are skipped.
   */
  List<Path> arrived() throws IOException, InterruptedException {
    List<Path> files = new ArrayList<>();
    if (unlisted) {
      // What arrived before the watch was registered has no event: the first call lists.
      unlisted = false;
      list(files);
      return files;
    }
    WatchKey key = service.poll(1, TimeUnit.SECONDS);
    if (key == null) {
      return files;
    }
    boolean overflow = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
        overflow = true;
      } else if (event.context() instanceof Path name && !name.toString().startsWith(".")) {
        files.add(dir.resolve(name));
      }
    }
    key.reset();
    if (overflow) {
      files.clear();
      list(files);
    }
    return files;
  }

  private void list(List<Path> files) throws IOException {
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "[!.]*")) {
      all.forEach(files::add);
    }
  }

  /** Waits until {@code file} (in the watched directory) exists. */
  void await(Path file) throws IOException, InterruptedException {
    while (!Files.exists(file)) {
      arrived();
    }
  }

  /**
   * Reads {@code file} and removes it from its directory: deleted, or when {@code keep} moved into
   * the directory's {@code processed/} by one rename, not forced (as PhiSync's requester takes a
   * response).
   */
  static byte[] take(Path file, boolean keep) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    remove(file, keep, false);
    return bytes;
  }

  /**
   * Deletes {@code file}, or when {@code keep} moves it into its directory's {@code processed/}
   * (made beforehand by {@link #keeping}), and when {@code fsync} also forces {@code processed/}:
   * the one directory a consumer must force for what it kept to survive a machine crash, as
   * PhiSync's durable ack forces its kept copy (PhiSync forces its record of the id too).
   */
  static void remove(Path file, boolean keep, boolean fsync) throws IOException {
    if (keep) {
      Path kept = file.resolveSibling(KEPT);
      Files.move(file, kept.resolve(file.getFileName()));
      if (fsync) {
        PlainFiles.forceDirectory(kept);
      }
    } else {
      Files.delete(file);
    }
  }

  /** Makes {@code dir}'s {@code processed/} when {@code keep}, before anything is watched there. */
  static void keeping(Path dir, boolean keep) throws IOException {
    if (keep) {
      Files.createDirectories(dir.resolve(KEPT));
    }
  }

  /** Runs the exchange's path a few thousand times on a scratch directory, for the JIT. */
  static void warmUp() throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory("phisync-bench-raw-warmup-");
    try (RawExchange exchange = new RawExchange(scratch)) {
      for (int i = 0; i < Warmup.ROUNDS; i++) {
        PlainFiles.write(scratch, "w-" + i, BODY, false);
        Path file = scratch.resolve("w-" + i);
        exchange.await(file);
        Files.readAllBytes(file);
        Files.delete(file);
      }
    } finally {
      Warmup.delete(scratch);
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
