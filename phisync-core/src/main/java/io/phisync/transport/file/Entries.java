package io.phisync.transport.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.jspecify.annotations.Nullable;

/**
 * What a directory entry is, looked at without following links. Only regular files are read as
 * messages: a symbolic link (to {@code /etc/passwd}, say) is never followed, a FIFO never opened.
 */
final class Entries {
  private Entries() {}

  /**
   * Null when {@code path} is a regular file or gone (the caller's rename will tell); otherwise why
   * it is not read, for its dead letter. Directories are skipped, never dead-lettered: see {@link
   * #isDirectory}.
   */
  static @Nullable String whyNotAMessage(Path path) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException gone) {
      return null;
    }
    if (attributes.isRegularFile() || attributes.isDirectory()) {
      return null;
    }
    if (attributes.isSymbolicLink()) {
      return "not a regular file: a symbolic link to "
          + linkTarget(path)
          + "; links are never followed: the link was removed and its target left alone";
    }
    return "not a regular file (a device, FIFO or socket); it was never opened";
  }

  /** The entry's own attributes (a link's, not its target's); null when it is gone. */
  static @Nullable BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException gone) {
      return null;
    }
  }

  static boolean isDirectory(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static String linkTarget(Path link) {
    try {
      return "'" + Files.readSymbolicLink(link) + "'";
    } catch (IOException | UnsupportedOperationException e) {
      return "an unreadable target";
    }
  }
}
