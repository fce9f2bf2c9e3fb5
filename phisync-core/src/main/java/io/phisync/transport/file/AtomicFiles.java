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

  private final Durability durability;
  private final java.util.concurrent.ConcurrentHashMap<Path, Boolean> shared =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Spares a transport keeps at most: a journal entry and the request after it find one each. */
  private static final int SPARES = 2;

  /**
   * Makes spares for every transport of the JVM, off the threads that write: one daemon thread,
   * started on the first refill and ended after a minute without one.
   */
  private static final java.util.concurrent.ThreadPoolExecutor REFILLS =
      new java.util.concurrent.ThreadPoolExecutor(
          1,
          1,
          60,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(),
          daemon("phisync-spares"));

  static {
    REFILLS.allowCoreThreadTimeOut(true);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Forces the second directory of a pair while the caller forces the first (see {@link
   * #syncDirectories}): a daemon thread per pair in flight at once, each ended after a minute idle.
   */
  private static final java.util.concurrent.ExecutorService FORCES =
      new java.util.concurrent.ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.SynchronousQueue<>(),
          daemon("phisync-force"));

  /** The pairs {@link #syncDirectories} forces, each with its group commit. */
  private final java.util.concurrent.ConcurrentHashMap<java.util.List<Path>, GroupCommit> groups =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_GROUPS = 256;

  private final java.util.concurrent.ConcurrentLinkedQueue<Spare> spare =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean refilling =
      new java.util.concurrent.atomic.AtomicBoolean();
  private boolean closed; // Guarded by this.
  private final java.util.concurrent.atomic.AtomicBoolean wroteAhead =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean noSpares;
  private boolean swept; // On the refill thread only.

  /**
   * Age after which a spare is taken for one a crashed process left: a live process whose spare is
   * removed writes its next file as usual.
   */
  static final java.time.Duration STALE_SPARE = java.time.Duration.ofHours(1);

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
   * Like {@link #createNew}, for the files a process writes again and again (messages, responses,
   * log entries such as a workflow's journal): the temp file is a spare made ahead in {@code
   * spares}, a directory of its own on the same file system, and linked from there. Creating a file
   * was the slowest step of a message's write where measured (BENCHMARKS.md: about a millisecond
   * after an idle moment, four times the rest of the write), and it holds its directory's lock
   * meanwhile; made ahead, elsewhere and on another thread, it is off the path between a writer and
   * its reader, and the reader's directory never sees it. Up to {@value #SPARES} spares per
   * transport, made from its second such write on (a command that writes once makes none) by one
   * daemon thread per JVM; removed on {@link #close}; a crash leaves them in {@code spares} as temp
   * files. A writer that finds none ready (it writes faster than they are made) makes its temp file
   * in {@code spares} too: a reader's directory then never sees a temp file come and go, whose
   * events would wake its watchers for nothing and whose create would hold its lock (flat out,
   * one-way throughput rose by about a quarter). Not used where {@code target}'s directory is
   * shared with a group.
   */
  void createNewAhead(Path target, byte[] content, Path spares) throws IOException {
    try (Pending pending = prepareAhead(target, content, spares)) {
      pending.publish(true);
    }
  }

  /**
   * The first half of {@link #createNewAhead}: writes {@code content} under a temp name (a spare
   * when there is one), forced in durable mode, and returns it to be linked to {@code target} by
   * {@link Pending#publish}; until then {@code target}'s directory does not change. A writer that
   * must make something else durable before the file appears (a workflow's journal entry before its
   * request) can do both writes at once this way.
   */
  Pending prepareAhead(Path target, byte[] content, Path spares) throws IOException {
    if (WINDOWS || noSpares || isShared(parent(target))) {
      return prepare(target, content, null, null);
    }
    @Nullable Spare ready = spare.poll();
    if (ready == null && wroteAhead.get()) {
      // A writer faster than the refills: its temp file is made here, but still in the spares'
      // directory, not its reader's, which so sees one event per file and no temp come and go.
      ready = newSpare(spares);
    }
    return prepare(target, content, ready, spares);
  }

  /** Tops the spares up on the refill thread, from a transport's second write ahead on. */
  private void refillLater(Path spares) {
    if (wroteAhead.getAndSet(true)
        && spare.size() < SPARES
        && refilling.compareAndSet(false, true)) {
      try {
        REFILLS.execute(() -> refill(spares));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        refilling.set(false);
      }
    }
  }

  private void createNew(Path target, byte[] content, @Nullable Spare spare) throws IOException {
    try (Pending pending = prepare(target, content, spare, null)) {
      pending.publish(true);
    }
  }

  /** Writes the temp file; {@code spares} (when writing ahead) is refilled once it is done. */
  private Pending prepare(Path target, byte[] content, @Nullable Spare spare, @Nullable Path spares)
      throws IOException {
    Path temp;
    try {
      temp = spare == null ? writeTemp(target, content) : writeSpare(spare, content);
    } catch (IOException | RuntimeException e) {
      if (spares != null) {
        refillLater(spares);
      }
      throw e;
    }
    CrashPoints.reach("createNew.tempWritten", target);
    return new Pending(target, content, temp, spare != null, spares);
  }

  /**
   * A file written under a temp name, not yet under its own: {@link #publish} links it there,
   * {@link #close} removes the temp name (whether published or not). Used by one thread.
   */
  final class Pending implements AutoCloseable {
    private final Path target;
    private final byte[] content;
    private final Path temp;
    private final boolean spare;
    private final @Nullable Path spares;
    private boolean closed;
    private boolean done;

    private Pending(Path target, byte[] content, Path temp, boolean spare, @Nullable Path spares) {
      this.target = target;
      this.content = content;
      this.temp = temp;
      this.spare = spare;
      this.spares = spares;
    }

    /**
     * Links the file to its target, then, in durable mode and when {@code forceDirectory}, forces
     * the target's directory. Never replaces a file. Without forcing the directory the file is
     * whole (it was forced before it was linked), but a crash of the machine may lose its name: for
     * a writer that keeps its own durable record of it and writes it again when it is missing.
     *
     * @throws FileAlreadyExistsException when the target exists
     */
    void publish(boolean forceDirectory) throws IOException {
      if (closed) {
        throw new IllegalStateException("already published or discarded: " + target);
      }
      try {
        // A hard link is put-if-absent: it fails when the name is taken, unlike a rename.
        Files.createLink(target, temp);
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (e instanceof FileAlreadyExistsException) {
          throw e;
        }
        if (spare) {
          // The spare was removed under us, or cannot be linked from its directory (another file
          // system: then never again): write as usual, which also reports a missing directory.
          if (!(e instanceof java.nio.file.NoSuchFileException)) {
            noSpares = true;
          }
          removeTemp();
          createNew(target, content, null);
          end();
          return;
        }
        // No hard links here (FAT, some shares): fall back to an exclusive create and write.
        createExclusiveDirect(target, content);
      }
      CrashPoints.reach("createNew.linked", target);
      removeTemp();
      if (forceDirectory) {
        syncDirectory(parent(target));
      }
      end();
    }

    /** Removes the temp name; the target, if published, stays. Idempotent. */
    @Override
    public void close() throws IOException {
      try {
        removeTemp();
      } finally {
        end();
      }
    }

    private void removeTemp() throws IOException {
      if (!closed) {
        closed = true;
        delete(temp);
      }
    }

    /** Once the write is over (published or not): the spares are refilled, after it. */
    private void end() {
      if (!done) {
        done = true;
        if (spares != null) {
          refillLater(spares);
        }
      }
    }
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
    } catch (IOException | RuntimeException e) {
      delete(temp);
      throw e;
    }
    return temp;
  }

  /** Tops the spares up (on the refill thread). */
  private void refill(Path spares) {
    try {
      if (!swept) {
        swept = true;
        sweep(spares);
      }
      while (spare.size() < SPARES && makeSpare(spares)) {
        // One more.
      }
    } finally {
      synchronized (this) {
        refilling.set(false);
        notifyAll();
      }
    }
  }

  /**
   * Makes one spare in {@code spares}; false when it could not (or the transport is closed). Never
   * fails a write: without a spare the next write makes its own temp file.
   */
  private boolean makeSpare(Path spares) {
    @Nullable Spare made = newSpare(spares);
    if (made == null) {
      return false;
    }
    synchronized (this) {
      if (!closed) {
        spare.add(made);
        return true;
      }
    }
    try {
      made.channel().close();
      delete(made.path());
    } catch (IOException e) {
      LOG.debug("could not remove the spare {}: {}", made.path(), e.toString());
    }
    return false;
  }

  /** A new spare in {@code spares}, or null when none could be made there. */
  private @Nullable Spare newSpare(Path spares) {
    Path path =
        spares.resolve(
            ".spare." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      FileChannel channel;
      try {
        channel = open(path);
      } catch (java.nio.file.NoSuchFileException e) {
        createSparesDirectory(spares);
        channel = open(path);
      }
      return new Spare(path, channel);
    } catch (IOException | RuntimeException e) {
      LOG.debug("no spare temp file in {}: {}", spares, e.toString());
      return null;
    }
  }

  /** Removes the spares older than {@link #STALE_SPARE}, which crashed processes left. */
  private static void sweep(Path spares) {
    FileTime before = FileTime.from(java.time.Instant.now().minus(STALE_SPARE));
    try (java.nio.file.DirectoryStream<Path> left =
        Files.newDirectoryStream(spares, ".spare.*.tmp")) {
      for (Path path : left) {
        try {
          if (Files.getLastModifiedTime(path).compareTo(before) < 0) {
            Files.deleteIfExists(path);
          }
        } catch (IOException e) {
          LOG.debug("could not remove the stale spare {}: {}", path, e.toString());
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // No spares yet.
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      LOG.debug("could not sweep {}: {}", spares, e.toString());
    }
  }

  /**
   * Creates {@code spares} in a root that exists, never the root itself: a transport left open over
   * a root someone removed must not bring it back.
   */
  private static void createSparesDirectory(Path spares) throws IOException {
    try {
      Files.createDirectory(spares, Permissions.newDirectory());
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(spares)) {
        throw e;
      }
    }
  }

  private static FileChannel open(Path path) throws IOException {
    return FileChannel.open(
        path,
        java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        Permissions.newFile());
  }

  /**
   * Removes the spares this transport made ahead, after a refill under way (waiting a second at
   * most; one that ends later removes what it made).
   */
  void close() {
    synchronized (this) {
      closed = true;
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
      while (refilling.get() && System.nanoTime() < deadline) {
        try {
          wait(
              Math.max(
                  1,
                  java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(
                      deadline - System.nanoTime())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (Spare left = spare.poll(); left != null; left = spare.poll()) {
      try {
        left.channel().close();
        delete(left.path());
      } catch (IOException e) {
        LOG.debug("could not remove the spare {}: {}", left.path(), e.toString());
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

  /**
   * Forces two directories, both at once: the second on a helper thread while this one forces the
   * first. A journaling file system (ext4, XFS) commits the changes to both in the one journal
   * transaction the overlapping flushes wait for, so the pair costs about one flush, not two.
   * Threads forcing the same pair at the same time share forces ({@link GroupCommit}). Returns when
   * both are on disk, changes made before the call included.
   */
  void syncDirectories(Path first, Path second) {
    if (durability != Durability.DURABLE || WINDOWS) {
      return;
    }
    if (first.equals(second)) {
      syncDirectory(first);
      return;
    }
    group(first, second).commit(() -> forceBoth(first, second));
  }

  /**
   * The group commit of a pair of directories: threads of this process that force the same pair at
   * the same time (an agent's workers acknowledging) share forces.
   */
  private GroupCommit group(Path first, Path second) {
    java.util.List<Path> key = java.util.List.of(first, second);
    GroupCommit group = groups.get(key);
    if (group == null) {
      if (groups.size() >= MAX_GROUPS) {
        // Old days' pairs, or very many agents. A group dropped while in use only means that
        // its callers and a new group's may force the pair each for themselves.
        groups.clear();
      }
      group = groups.computeIfAbsent(key, k -> new GroupCommit());
    }
    return group;
  }

  private void forceBoth(Path first, Path second) {
    java.util.concurrent.Future<?> other = FORCES.submit(() -> syncDirectory(second));
    try {
      syncDirectory(first);
    } catch (RuntimeException e) {
      try {
        awaitForced(other, second);
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    awaitForced(other, second);
  }

  /** Waits for a helper's force however long it takes: the caller may not return before. */
  private static void awaitForced(java.util.concurrent.Future<?> force, Path directory) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          force.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof UncheckedIOException unchecked) {
            throw unchecked;
          }
          throw new IllegalStateException("could not sync directory " + directory, e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
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
