package io.phisync.transport.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Checks, once per root and process, that the file system under a root does what the protocol
 * relies on: an exclusive create fails when the name is taken, a hard link does too (or links are
 * not supported at all, and writers fall back to exclusive creates), and a rename is atomic. Some
 * network shares and sync tools break these; on such a root two consumers could both get one
 * message, so PhiSync refuses it rather than deliver twice.
 */
final class RootProbe {
  private static final Set<Path> PASSED = ConcurrentHashMap.newKeySet();

  private RootProbe() {}

  /**
   * @throws IllegalStateException saying what the file system got wrong
   * @throws UncheckedIOException when the root cannot be written at all
   */
  static void check(Path root) {
    if (PASSED.contains(root)) {
      return;
    }
    Path dir =
        root.resolve(".phisync-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.createDirectories(dir);
      probe(root, dir);
      PASSED.add(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the root " + root + ": " + e.getMessage(), e);
    } finally {
      delete(dir);
    }
  }

  private static void probe(Path root, Path dir) throws IOException {
    Path first = dir.resolve("a.json");
    Files.write(first, new byte[] {'{', '}'}, StandardOpenOption.CREATE_NEW);
    if (succeeds(() -> Files.write(first, new byte[0], StandardOpenOption.CREATE_NEW))) {
      throw refuse(root, "an exclusive create (O_EXCL) succeeded on a name that was taken");
    }
    Path link = dir.resolve("b.json");
    boolean links;
    try {
      Files.createLink(link, first);
      links = true;
    } catch (UnsupportedOperationException | FileSystemException e) {
      links = false; // Writers fall back to exclusive creates.
    }
    if (links && succeeds(() -> Files.createLink(link, first))) {
      throw refuse(root, "a hard link succeeded on a name that was taken");
    }
    Path moved = dir.resolve("c.json");
    Files.move(first, moved, StandardCopyOption.ATOMIC_MOVE);
    if (Files.exists(first) || !Files.exists(moved)) {
      throw refuse(root, "a rename left the file in both places or in neither");
    }
  }

  private interface Step {
    void run() throws IOException;
  }

  private static boolean succeeds(Step step) throws IOException {
    try {
      step.run();
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private static IllegalStateException refuse(Path root, String what) {
    return new IllegalStateException(
        "the file system under "
            + root
            + " cannot be used for PhiSync: "
            + what
            + ". Competing consumers could then both get one message. Use a local disk, or a"
            + " share that keeps POSIX or NTFS semantics (NFSv4, SMB 2 or later).");
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(RootProbe::deleteQuietly);
    } catch (IOException e) {
      // Nothing was created, or it is gone.
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A leftover probe directory is hidden and harmless.
    }
  }
}
