package io.phisync.transport.file;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * Who may read what PhiSync creates (POSIX only; elsewhere the platform's defaults apply).
 *
 * <p>Private by default: directories are created {@code 0700} and files {@code 0600}, with the mode
 * given at creation (umask can only narrow it), so no other user can read a message at any moment.
 * Shared with a group on request: when the directory something is created in is setgid and
 * group-writable (the root prepared with {@code install -d -m 2770 -g <group> <root>}), directories
 * are made {@code 2770} and files {@code 0660}, so every member of the group can run agents on the
 * root. A file is widened while it still has its temp name, before anyone can see it.
 */
final class Permissions {
  private static final boolean UNIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
  private static final int SETGID = 02000;
  private static final int GROUP_WRITE = 0020;
  private static final int SHARED_DIRECTORY = 02770;
  private static final int SHARED_FILE = 0660;
  private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];
  private static final FileAttribute<?>[] PRIVATE_DIRECTORY =
      UNIX
          ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
          }
          : NONE;
  private static final FileAttribute<?>[] PRIVATE_FILE =
      UNIX
          ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
          }
          : NONE;

  private Permissions() {}

  /** The attributes to create a directory with: private. */
  static FileAttribute<?>[] newDirectory() {
    return PRIVATE_DIRECTORY;
  }

  /** The attributes to create a file with: private. */
  static FileAttribute<?>[] newFile() {
    return PRIVATE_FILE;
  }

  /** Whether {@code dir} is shared with its group: setgid and group-writable. */
  static boolean isShared(@Nullable Path dir) {
    if (!UNIX || dir == null) {
      return false;
    }
    try {
      int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (mode & SETGID) != 0 && (mode & GROUP_WRITE) != 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Opens a new directory to the group when its parent is shared. */
  static void shareDirectoryIfParentIs(Path dir, @Nullable Path parent) throws IOException {
    if (isShared(parent)) {
      Files.setAttribute(dir, "unix:mode", SHARED_DIRECTORY, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /** Opens a new (still temp-named) file to the group; the caller knows its directory is shared. */
  static void shareFile(Path file) throws IOException {
    if (UNIX) {
      Files.setAttribute(file, "unix:mode", SHARED_FILE, LinkOption.NOFOLLOW_LINKS);
    }
  }
}
