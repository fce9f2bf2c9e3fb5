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
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Atomic, optionally durable file writes and moves. A write goes to a temp name that readers ignore
 * (it starts with a dot and does not end in {@code .json}), in the same directory; it is flushed
 * (forced in durable mode) and then made visible under its final name in one step. A reader sees
 * the whole old file or the whole new file, never part of one.
 */
final class AtomicFiles {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AtomicFiles.class);
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
  private static final int RENAME_ATTEMPTS = 8;

  /**
   * Directories written into, and whether each is shared with its group (see {@link #isShared}).
   */
  private static final int SHARED_CACHE_LIMIT = 4096;

  /** Directories that keep a spare temp file at most (see {@link #createNewAhead}). */
  private static final int SPARE_DIRECTORIES = 16;

  private final Durability durability;
  private final java.util.concurrent.ConcurrentHashMap<Path, Boolean> shared =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<Path, Spare> spares =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<Path> writtenOnce =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** An empty temp file made ahead of a write, still open for writing. */
  private record Spare(Path path, FileChannel channel) {}

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

  /** Writes all of {@code content}, forced to disk in durable mode. */
  private void write(FileChannel channel, byte[] content) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(content);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    if (durability == Durability.DURABLE) {
      channel.force(true);
    }
  }

  /**
   * Writes a new file; never replaces one.
   *
   * @throws FileAlreadyExistsException when {@code target} exists
   */
  void createNew(Path target, byte[] content) throws IOException {
    createNew(target, content, null);
  }

  /**
   * Like {@link #createNew}, for a directory written into again and again (an inbox, an outbox):
   * the temp file is one made ahead, after the previous write there, and a new one is made once
   * this file is in place. Creating a file (a new inode) is the slowest step of a write where files
   * are kept rather than deleted, about a millisecond after an idle moment on a virtual machine;
   * made ahead, it is off the path between a writer and its reader. A process keeps at most one
   * spare in each of {@value #SPARE_DIRECTORIES} directories, from its second write into one on,
   * and removes them on {@link #close}; a crash leaves it as any temp file, which readers skip.
   */
  void createNewAhead(Path target, byte[] content) throws IOException {
    Path dir = parent(target);
    Spare spare = spares.remove(dir);
    try {
      createNew(target, content, spare);
    } catch (java.nio.file.NoSuchFileException e) {
      if (spare == null || Files.exists(spare.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
      createNew(target, content, null); // The spare was removed by someone: write as usual.
    }
    makeSpare(dir);
  }

  private void createNew(Path target, byte[] content, @Nullable Spare spare) throws IOException {
    Path temp = spare == null ? writeTemp(target, content) : writeSpare(spare, content);
    CrashPoints.reach("createNew.tempWritten", target);
    try {
      try {
        // A hard link is put-if-absent: it fails when the name is taken, unlike a rename.
        Files.createLink(target, temp);
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (e instanceof FileAlreadyExistsException
            || (spare != null && e instanceof java.nio.file.NoSuchFileException)) {
          throw e; // Taken; or the spare was removed under us (see createNewAhead).
        }
        // No hard links here (FAT, some shares): fall back to an exclusive create and write.
        createExclusiveDirect(target, content);
      }
      CrashPoints.reach("createNew.linked", target);
    } finally {
      delete(temp);
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
      delete(temp);
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

  /**
   * Like {@link #move} but never forced to disk, for renames that a machine crash may undo without
   * losing anything (a claim: the message is then in the inbox again).
   */
  void rename(Path source, Path target) throws IOException {
    moveAtomic(source, target);
  }

  /** Writes {@code content} to a new temp name beside {@code target} (flushed as configured). */
  /** Writes {@code content} into a spare (see {@link #createNewAhead}); returns its name. */
  private Path writeSpare(Spare spare, byte[] content) throws IOException {
    Path temp = spare.path();
    try (FileChannel channel = spare.channel()) {
      write(channel, content);
      if (isShared(parent(temp))) {
        Permissions.shareFile(temp);
      }
    } catch (IOException | RuntimeException e) {
      delete(temp);
      throw e;
    }
    return temp;
  }

  /**
   * Makes {@code dir}'s next spare, from the second write into it on. Never fails the write that
   * asked: without a spare the next write makes its own temp file.
   */
  private void makeSpare(Path dir) {
    if (WINDOWS || writtenOnce.add(dir) || spares.containsKey(dir)) {
      if (writtenOnce.size() > SHARED_CACHE_LIMIT) {
        writtenOnce.clear();
      }
      return; // The first write here (or one already made): perhaps the only one.
    }
    if (spares.size() >= SPARE_DIRECTORIES) {
      return;
    }
    Path path =
        dir.resolve(".spare." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      FileChannel channel =
          FileChannel.open(
              path,
              java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              Permissions.newFile());
      if (spares.putIfAbsent(dir, new Spare(path, channel)) != null) {
        channel.close(); // Another thread made one meanwhile.
        delete(path);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no spare temp file in {}: {}", dir, e.toString());
    }
  }

  /** Removes the spare temp files this process made ahead. */
  void close() {
    for (Path dir : spares.keySet()) {
      Spare spare = spares.remove(dir);
      if (spare != null) {
        try {
          spare.channel().close();
          delete(spare.path());
        } catch (IOException e) {
          LOG.debug("could not remove the spare {}: {}", spare.path(), e.toString());
        }
      }
    }
  }

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
      write(channel, content);
      if (isShared(parent(temp))) {
        Permissions.shareFile(temp);
      }
    } catch (IOException | RuntimeException e) {
      delete(temp);
      throw e;
    }
    return temp;
  }

  /**
   * Creates an empty file; never replaces one. An empty file has no content to be seen half
   * written, so it is created in place by an exclusive create (two system calls, not the temp
   * file's five); in durable mode its directory is forced.
   *
   * @throws FileAlreadyExistsException when {@code target} exists
   * @throws java.nio.file.NoSuchFileException when its directory does not exist
   */
  void createEmpty(Path target) throws IOException {
    FileChannel.open(
            target,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            Permissions.newFile())
        .close();
    CrashPoints.reach("createEmpty.created", target);
    if (isShared(parent(target))) {
      Permissions.shareFile(target);
    }
    syncDirectory(parent(target));
  }

  /**
   * Whether files written into {@code dir} are opened to its group. Asked for every file written,
   * so it is remembered per directory: a root is made shared before agents run on it (a directory
   * shared later takes effect for processes started after).
   */
  private boolean isShared(Path dir) {
    Boolean known = shared.get(dir);
    if (known == null) {
      if (shared.size() >= SHARED_CACHE_LIMIT) {
        shared.clear(); // Journals and day directories come and go; keep the map small.
      }
      known = Permissions.isShared(dir);
      shared.put(dir, known);
    }
    return known;
  }

  /**
   * Removes a file by one {@code unlink} ({@link Files#deleteIfExists} first stats it to choose
   * between unlink and rmdir); false when it was already gone.
   */
  static boolean delete(Path file) throws IOException {
    if (file.toFile().delete()) {
      return true;
    }
    return Files.deleteIfExists(file); // Gone, or an error worth its exception.
  }

  /**
   * Sets a file's modification time (and its access time, which PhiSync never reads, to the same
   * value): one open, one {@code futimens}, one close. {@link Files#setLastModifiedTime} also stats
   * the file to keep its access time.
   */
  static void stamp(Path file, FileTime time) throws IOException {
    Files.getFileAttributeView(file, BasicFileAttributeView.class).setTimes(time, time, null);
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
