package io.phisync.transport.file;

import io.phisync.spi.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic, optionally durable file writes and moves. A write goes to a temp name that readers ignore
 * (it starts with a dot and does not end in {@code .json}), in the same directory; it is flushed
 * (forced in durable mode) and then made visible under its final name in one step. A reader sees
 * the whole old file or the whole new file, never part of one.
 */
final class AtomicFiles {
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
  private static final int RENAME_ATTEMPTS = 8;

  private final Durability durability;

  AtomicFiles(Durability durability) {
    this.durability = durability;
  }

  Durability durability() {
    return durability;
  }

  /** Whether a name is one of our temp names, which readers skip. */
  static boolean isTemp(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(".tmp");
  }

  /**
   * Writes a new file; never replaces one.
   *
   * @throws FileAlreadyExistsException when {@code target} exists
   */
  void createNew(Path target, byte[] content) throws IOException {
    Path temp = writeTemp(target, content);
    CrashPoints.reach("createNew.tempWritten", target);
    try {
      try {
        // A hard link is put-if-absent: it fails when the name is taken, unlike a rename.
        Files.createLink(target, temp);
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (e instanceof FileAlreadyExistsException) {
          throw e;
        }
        // No hard links here (FAT, some shares): fall back to an exclusive create and write.
        createExclusiveDirect(target, content);
      }
      CrashPoints.reach("createNew.linked", target);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(parent(target));
  }

  /** Writes a file, replacing any old version atomically. */
  void replace(Path target, byte[] content) throws IOException {
    Path temp = writeTemp(target, content);
    CrashPoints.reach("replace.tempWritten", target);
    try {
      moveAtomic(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(parent(target));
  }

  /**
   * Renames {@code source} to {@code target} in one step. If {@code target} exists it is replaced,
   * so callers use it only where the target name is theirs alone.
   *
   * @throws java.nio.file.NoSuchFileException when {@code source} is gone, which is how a competing
   *     consumer learns that another one won
   */
  void move(Path source, Path target) throws IOException {
    moveAtomic(source, target);
    syncDirectory(parent(target));
    if (!parent(source).equals(parent(target))) {
      syncDirectory(parent(source));
    }
  }

  /** Writes {@code content} to a new temp name beside {@code target} (flushed as configured). */
  Path writeTemp(Path target, byte[] content) throws IOException {
    Path temp =
        target.resolveSibling(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temp,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            Permissions.newFile())) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (durability == Durability.DURABLE) {
        channel.force(true);
      }
      Permissions.shareFileIfParentIs(temp, parent(temp));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return temp;
  }

  private void createExclusiveDirect(Path target, byte[] content) throws IOException {
    // Readers of the target may see it partly written; they retry such files for a grace period.
    try (FileChannel channel =
        FileChannel.open(
            target,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            Permissions.newFile())) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (durability == Durability.DURABLE) {
        channel.force(true);
      }
    }
  }

  private static void moveAtomic(Path source, Path target) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename atomically: " + source.getParent(), e);
      } catch (AccessDeniedException e) {
        // On Windows another process (often an antivirus) may hold the file for a moment.
        if (!WINDOWS || attempt >= RENAME_ATTEMPTS) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  private static void pause(int attempt) throws IOException {
    try {
      Thread.sleep(5L << Math.min(attempt, 6));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while retrying a rename");
    }
  }

  /** The directory of a file path; every path here is absolute and below the root. */
  static Path parent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("no parent directory: " + file);
    }
    return parent;
  }

  void syncDirectory(Path directory) {
    if (durability != Durability.DURABLE || WINDOWS) {
      return; // Windows cannot open a directory as a channel; its renames are journaled by NTFS.
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not sync directory " + directory, e);
    }
  }
}
