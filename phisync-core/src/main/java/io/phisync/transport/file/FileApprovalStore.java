package io.phisync.transport.file;

import io.phisync.protocol.MalformedMessageException;
import io.phisync.protocol.MessageId;
import io.phisync.spi.ApprovalSlot;
import io.phisync.spi.ApprovalStore;
import io.phisync.spi.Wakeup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Approvals in {@code shared/approvals/<runId>/}: {@code <step>.request.json} (replaced
 * atomically), {@code <step>.decision.json} (put-if-absent), {@code <step>.refused-<ulid>.json}
 * (refused decisions, moved aside) and {@code <step>.closed.json}. Files are read without following
 * links and only up to {@link ApprovalStore#MAX_FILE_BYTES}.
 */
final class FileApprovalStore implements ApprovalStore {
  private static final String REQUEST_SUFFIX = ".request.json";

  private final Path root;
  private final Path base;
  private final AtomicFiles files;
  private final Wakeups wakeups;

  FileApprovalStore(FileLayout layout, AtomicFiles files, Wakeups wakeups) {
    this.root = layout.root();
    this.base = layout.shared().resolve("approvals");
    this.files = files;
    this.wakeups = wakeups;
  }

  private Path runDir(ApprovalSlot slot) {
    return base.resolve(slot.runId());
  }

  private Path file(ApprovalSlot slot, Part part) {
    return runDir(slot).resolve(part.fileName(slot.step()));
  }

  /** Creates the run's directory; refuses one that is a link (writes would land elsewhere). */
  private void createRunDir(ApprovalSlot slot) {
    Path dir = runDir(slot);
    Dirs.create(dir);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new MalformedMessageException(
          "the run directory " + relative(dir) + " is a link or not a directory; not written");
    }
  }

  @Override
  public void writeRequest(ApprovalSlot slot, byte[] content) {
    Path file = file(slot, Part.REQUEST);
    createRunDir(slot);
    try {
      files.replace(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  @Override
  public boolean createDecision(ApprovalSlot slot, byte[] content) {
    return createNew(slot, file(slot, Part.DECISION), content);
  }

  @Override
  public void close(ApprovalSlot slot, byte[] content) {
    createNew(slot, file(slot, Part.CLOSED), content);
  }

  private boolean createNew(ApprovalSlot slot, Path file, byte[] content) {
    createRunDir(slot);
    try {
      files.createNew(file, content);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  @Override
  public Optional<byte[]> read(ApprovalSlot slot, Part part) {
    Path dir = runDir(slot);
    Path file = file(slot, part);
    try {
      BasicFileAttributes dirAttributes = attributes(dir);
      if (dirAttributes == null) {
        return Optional.empty();
      }
      if (!dirAttributes.isDirectory()) {
        throw new MalformedMessageException(
            "the run directory " + relative(dir) + " is a link or not a directory (not followed)");
      }
      BasicFileAttributes attributes = attributes(file);
      if (attributes == null) {
        return Optional.empty();
      }
      String name = relative(file);
      if (attributes.isSymbolicLink()) {
        throw new MalformedMessageException(name + " is a symbolic link (not followed)");
      }
      if (!attributes.isRegularFile()) {
        throw new MalformedMessageException(name + " is not a regular file");
      }
      if (attributes.size() > MAX_FILE_BYTES) {
        throw new MalformedMessageException(
            name + " is larger than " + MAX_FILE_BYTES + " bytes (" + attributes.size() + ")");
      }
      return Optional.of(readLimited(file, name));
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private static @Nullable BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static byte[] readLimited(Path file, String name) throws IOException {
    // Opened without following a link, in case one replaced the file after it was looked at.
    try (SeekableByteChannel channel =
            Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        InputStream in = Channels.newInputStream(channel)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > MAX_FILE_BYTES) {
          throw new MalformedMessageException(
              name + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (java.nio.file.FileSystemException e) {
      if (e instanceof NoSuchFileException) {
        throw e;
      }
      throw new MalformedMessageException(name + " could not be opened: " + e.getReason(), e);
    }
  }

  @Override
  public void supersede(ApprovalSlot slot) {
    if (!Files.isDirectory(runDir(slot), LinkOption.NOFOLLOW_LINKS)) {
      return; // No run directory (or a linked one): nothing to move.
    }
    String aside = slot.step() + ".superseded-" + MessageId.next().value().toLowerCase(Locale.ROOT);
    for (Part part : List.of(Part.DECISION, Part.CLOSED)) {
      Path from = file(slot, part);
      Path to = runDir(slot).resolve(aside + part.fileName(""));
      try {
        files.move(from, to);
      } catch (NoSuchFileException e) {
        // Not there: nothing to supersede.
      } catch (IOException e) {
        throw new UncheckedIOException("could not move " + from + " aside", e);
      }
    }
  }

  @Override
  public Optional<String> refuseDecision(ApprovalSlot slot) {
    if (!Files.isDirectory(runDir(slot), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty(); // A linked run directory: nothing in it is read or moved.
    }
    Path decision = file(slot, Part.DECISION);
    Path target =
        runDir(slot)
            .resolve(
                slot.step()
                    + ".refused-"
                    + MessageId.next().value().toLowerCase(Locale.ROOT)
                    + ".json");
    try {
      files.move(decision, target);
      return Optional.of(relative(target));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not move " + decision + " aside", e);
    }
  }

  @Override
  public List<ApprovalSlot> requests() {
    List<ApprovalSlot> out = new ArrayList<>();
    for (String run : Dirs.names(base, n -> !n.startsWith("."))) {
      Path dir = base.resolve(run);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      for (String name : Dirs.names(dir, n -> n.endsWith(REQUEST_SUFFIX))) {
        String step = name.substring(0, name.length() - REQUEST_SUFFIX.length());
        try {
          out.add(new ApprovalSlot(run, step));
        } catch (IllegalArgumentException notOurs) {
          // A file no PhiSync process wrote: not a request.
        }
      }
    }
    out.sort(null);
    return out;
  }

  @Override
  public List<String> refused(ApprovalSlot slot) {
    String prefix = slot.step() + ".refused-";
    return Dirs.names(runDir(slot), n -> n.startsWith(prefix) && n.endsWith(".json"));
  }

  @Override
  public Wakeup watch(@Nullable String runId) {
    Dirs.create(base);
    if (runId != null) {
      Path dir = runDir(new ApprovalSlot(runId, "watch"));
      Dirs.create(dir);
      return wakeups.watch(dir);
    }
    List<Path> dirs = new ArrayList<>();
    dirs.add(base);
    dirs.addAll(Dirs.subdirectories(base));
    return wakeups.watchAll(dirs);
  }

  private String relative(Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }
}
