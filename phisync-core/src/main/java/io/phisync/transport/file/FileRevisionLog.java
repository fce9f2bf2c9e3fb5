package io.phisync.transport.file;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import io.phisync.spi.RevisionLog;
import io.phisync.spi.Wakeup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link RevisionLog} over directories: key {@code k} keeps its revisions in {@code
 * <base>/k<suffix>/<prefix><n, 12 digits>.json}. A revision is committed by a link-based exclusive
 * create of a fully written temp file, so exactly one writer gets each number and readers never see
 * part of one. The view is {@code <base>/k<view suffix>}.
 */
final class FileRevisionLog implements RevisionLog {
  private final LogKind kind;
  private final Path base;
  private final String dirSuffix;
  private final String filePrefix;
  private final @Nullable String viewSuffix;
  private final Path spares;
  private final AtomicFiles files;
  private final Wakeups wakeups;
  private static final String PRUNED = "pruned";

  /**
   * The largest record read (64 MiB): a journal entry holds at most a step's output (a message, at
   * most 8 MiB) or a run's definition and input; anything larger is refused unread.
   */
  static final int MAX_RECORD_BYTES = 64 << 20;

  /** The highest revision number seen per key: a lower bound, since names are never freed. */
  private final java.util.concurrent.ConcurrentHashMap<StateKey, Long> highest =
      new java.util.concurrent.ConcurrentHashMap<>();

  private FileRevisionLog(
      LogKind kind,
      Path base,
      String dirSuffix,
      String filePrefix,
      @Nullable String viewSuffix,
      AtomicFiles files,
      Wakeups wakeups,
      Path spares) {
    this.kind = kind;
    this.spares = spares;
    this.base = base;
    this.dirSuffix = dirSuffix;
    this.filePrefix = filePrefix;
    this.viewSuffix = viewSuffix;
    this.files = files;
    this.wakeups = wakeups;
  }

  static FileRevisionLog of(LogKind kind, FileLayout layout, AtomicFiles files, Wakeups wakeups) {
    switch (kind) {
      case STATE:
        return new FileRevisionLog(
            kind,
            layout.shared().resolve("state"),
            ".revs",
            "rev-",
            ".json",
            files,
            wakeups,
            layout.spares());
      case LOCKS:
        return new FileRevisionLog(
            kind,
            layout.shared().resolve("locks"),
            ".grants",
            "grant-",
            ".lock",
            files,
            wakeups,
            layout.spares());
      case WORKFLOWS:
        return new FileRevisionLog(
            kind,
            layout.shared().resolve("workflows"),
            ".journal",
            "entry-",
            ".json",
            files,
            wakeups,
            layout.spares());
      case STREAMS:
      default:
        return new FileRevisionLog(
            kind,
            layout.shared().resolve("streams"),
            ".events",
            "commit-",
            null,
            files,
            wakeups,
            layout.spares());
    }
  }

  private StateKey check(StateKey key) {
    if (kind == LogKind.STATE && key.firstSegment().equals("snapshots")) {
      throw new IllegalArgumentException(
          "invalid key '" + key + "': the namespace 'snapshots' is reserved for stream snapshots");
    }
    return key;
  }

  private Path dir(StateKey key) {
    return base.resolve(check(key).value() + dirSuffix);
  }

  private Path file(StateKey key, long revision) {
    return dir(key).resolve(filePrefix + FileLayout.number(revision) + ".json");
  }

  private List<Long> numbers(StateKey key) {
    List<Long> out = new ArrayList<>();
    for (String name : Dirs.names(dir(key), n -> n.startsWith(filePrefix) && n.endsWith(".json"))) {
      try {
        out.add(
            Long.parseLong(name.substring(filePrefix.length(), name.length() - ".json".length())));
      } catch (NumberFormatException notOurs) {
        // Some other file: ignored.
      }
    }
    out.sort(null);
    return out;
  }

  @Override
  public Optional<Revision> latest(StateKey key) {
    long known = known(key);
    if (known == 0) {
      return Optional.empty();
    }
    return read(key, known).or(() -> Optional.of(stubOf(key, known)));
  }

  /**
   * The highest revision number of {@code key}: from the last one this process saw (names are never
   * freed, so it still exists) probing upward, or from one listing the first time.
   */
  private long known(StateKey key) {
    long known =
        highest.computeIfAbsent(key, k -> numbers(k).stream().mapToLong(n -> n).max().orElse(0));
    while (Files.exists(file(key, known + 1))) {
      known++;
    }
    final long found = known;
    highest.merge(key, found, Math::max);
    return found;
  }

  private static Revision stubOf(StateKey key, long revision) {
    return new Revision(key, revision, Json.object().put("revision", revision).put("pruned", true));
  }

  /** Revision {@code revision} of {@code key}; empty when it does not exist or was pruned. */
  @Override
  public Optional<Revision> read(StateKey key, long revision) {
    try {
      byte[] bytes = readRecord(file(key, revision));
      JsonNode json;
      try {
        json = Json.mapper().readTree(bytes);
      } catch (tools.jackson.core.JacksonException e) {
        throw new IllegalStateException(
            "unreadable record " + file(key, revision) + ": " + e.getOriginalMessage(), e);
      }
      if (!json.isObject()) {
        throw new IllegalStateException("not a JSON object: " + file(key, revision));
      }
      if (json.path(PRUNED).asBoolean(false)) {
        return Optional.empty();
      }
      return Optional.of(new Revision(key, revision, (ObjectNode) json));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file(key, revision), e);
    }
  }

  /**
   * A record's bytes: never through a symbolic link (one placed in the directory by someone who can
   * write the root is refused, not followed out of it) and at most {@link #MAX_RECORD_BYTES}.
   */
  private static byte[] readRecord(Path file) throws IOException {
    try (java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(
            file, java.nio.file.StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      long size = channel.size();
      if (size > MAX_RECORD_BYTES) {
        throw new IllegalStateException(
            "refused record "
                + file
                + ": "
                + size
                + " bytes, over the limit of "
                + MAX_RECORD_BYTES);
      }
      return java.nio.channels.Channels.newInputStream(channel).readNBytes(MAX_RECORD_BYTES + 1);
    } catch (IOException e) { // ELOOP: a FileSystemException or a plain IOException, by JDK.
      if (!(e instanceof NoSuchFileException) && Files.isSymbolicLink(file)) {
        throw new IllegalStateException(
            "refused record " + file + ": a symbolic link (never followed)", e);
      }
      throw e;
    }
  }

  @Override
  public List<Revision> from(StateKey key, long fromRevision) {
    List<Revision> out = new ArrayList<>();
    long last = known(key);
    for (long n = Math.max(1, fromRevision); n <= last; n++) {
      read(key, n).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public boolean tryCommit(StateKey key, long revision, ObjectNode record) {
    if (revision < 1) {
      throw new IllegalArgumentException("revisions start at 1, got " + revision);
    }
    Dirs.create(dir(key));
    Path file = file(key, revision);
    boolean committed = false;
    // The committing thread knows of its entry: its own waiters on this log are not woken by it.
    wakeups.writing(file);
    try {
      // A log's entries are written again and again, and a workflow's journal entry is on the path
      // of every step: from a spare, as messages are.
      files.createNewAhead(file, Json.mapper().writeValueAsBytes(record), spares);
      committed = true;
      CrashPoints.reach(kind.name().toLowerCase(java.util.Locale.ROOT) + ".committed");
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not commit " + file, e);
    } finally {
      if (!committed) {
        wakeups.notWritten(file); // Someone else's entry by that name is news.
      }
    }
  }

  /**
   * Replaces the record that just fell out of the newest {@code keep} with a small stub. The file
   * name stays taken forever: a writer that stalled for any length of time can never commit an old
   * revision number again, which a deleted name would allow (and lose an update).
   */
  @Override
  public void prune(StateKey key, int keep) {
    long old = known(key) - Math.max(1, keep);
    if (old < 1 || read(key, old).isEmpty()) {
      return;
    }
    try {
      files.replace(
          file(key, old),
          Json.mapper().writeValueAsBytes(Json.object().put("revision", old).put(PRUNED, true)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not prune " + file(key, old), e);
    }
  }

  @Override
  public List<StateKey> keys(String prefix) {
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    List<StateKey> out = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(base, 8)) {
      paths
          .filter(p -> p.getFileName().toString().endsWith(dirSuffix) && Files.isDirectory(p))
          .forEach(p -> keyOf(p).filter(k -> k.value().startsWith(prefix)).ifPresent(out::add));
    } catch (IOException | UncheckedIOException e) {
      throw new UncheckedIOException("could not list " + base, asIo(e));
    }
    out.sort(null);
    return out;
  }

  private static IOException asIo(Exception e) {
    if (e instanceof IOException io) {
      return io;
    }
    IOException cause = ((UncheckedIOException) e).getCause();
    return cause == null ? new IOException(e) : cause;
  }

  private Optional<StateKey> keyOf(Path dir) {
    String relative = base.relativize(dir).toString().replace('\\', '/');
    try {
      return Optional.of(
          StateKey.of(relative.substring(0, relative.length() - dirSuffix.length())));
    } catch (IllegalArgumentException notAKey) {
      return Optional.empty();
    }
  }

  /** The directory of {@code key}'s revisions, created if missing (for combined wake-ups). */
  Path directory(StateKey key) {
    Dirs.create(dir(key));
    return dir(key);
  }

  @Override
  public Wakeup watch(StateKey key) {
    Dirs.create(dir(key));
    return wakeups.watch(dir(key));
  }

  private Path viewFile(StateKey key) {
    if (viewSuffix == null) {
      throw new UnsupportedOperationException("a " + kind + " log has no views");
    }
    return base.resolve(check(key).value() + viewSuffix);
  }

  @Override
  public Optional<byte[]> view(StateKey key) {
    try {
      return Optional.of(Files.readAllBytes(viewFile(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + viewFile(key), e);
    }
  }

  @Override
  public void writeView(StateKey key, byte[] content) {
    Path view = viewFile(key);
    Dirs.create(AtomicFiles.parent(view));
    try {
      files.replace(view, content);
      CrashPoints.reach(kind.name().toLowerCase(java.util.Locale.ROOT) + ".viewWritten");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + view, e);
    }
  }

  @Override
  public boolean createView(StateKey key, byte[] content) {
    Path view = viewFile(key);
    Dirs.create(AtomicFiles.parent(view));
    try {
      files.createNew(view, content);
      CrashPoints.reach(kind.name().toLowerCase(java.util.Locale.ROOT) + ".viewCreated");
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + view, e);
    }
  }

  @Override
  public void deleteView(StateKey key) {
    try {
      Files.deleteIfExists(viewFile(key));
      CrashPoints.reach(kind.name().toLowerCase(java.util.Locale.ROOT) + ".viewDeleted");
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + viewFile(key), e);
    }
  }
}
