package io.phisync.transport.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Directory listings that treat a missing directory as empty. */
final class Dirs {
  private Dirs() {}

  /** The names in {@code dir} that {@code accept} takes, sorted. */
  static List<String> names(Path dir, Predicate<String> accept) {
    // java.io lists a directory in about five system calls and hands out plain names; a
    // DirectoryStream takes nine and makes a Path of each entry. Inboxes are listed once per
    // message when a consumer keeps up. Its null answer says nothing of why: the stream says.
    String[] listed = dir.toFile().list();
    if (listed != null) {
      List<String> names = new ArrayList<>(listed.length);
      for (String name : listed) {
        if (accept.test(name)) {
          names.add(name);
        }
      }
      names.sort(null);
      return names;
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        String name = entry.getFileName().toString();
        if (accept.test(name)) {
          names.add(name);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
    names.sort(null);
    return names;
  }

  /** The message files ({@code *.json}) in {@code dir}, sorted by name. */
  static List<String> messages(Path dir) {
    return names(dir, FileLayout::isMessageFile);
  }

  /** The sub-directories of {@code dir}, sorted by name. */
  static List<Path> subdirectories(Path dir) {
    List<Path> out = new ArrayList<>();
    for (String name : names(dir, n -> !n.startsWith("."))) {
      Path path = dir.resolve(name);
      if (Files.isDirectory(path)) {
        out.add(path);
      }
    }
    return out;
  }

  /**
   * Creates {@code dir} and any missing parents, each private to the owner from the moment it
   * exists, or shared with the group below a shared directory (see {@link Permissions}).
   */
  static void create(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        return;
      }
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        create(parent);
      }
      try {
        Files.createDirectory(dir, Permissions.newDirectory());
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (Files.isDirectory(dir)) {
          return; // Created by someone else meanwhile.
        }
        throw e;
      }
      Permissions.shareDirectoryIfParentIs(dir, parent);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir, e);
    }
  }
}
