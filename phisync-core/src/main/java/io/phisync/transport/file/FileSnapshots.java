package io.phisync.transport.file;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.Snapshot;
import io.phisync.spi.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Snapshots in the codex's {@code shared/state/snapshots/}: {@code <stream>/snapshot-<version, 12
 * digits>.json}, each {@code {"stream", "version", "state"}}, written atomically.
 */
final class FileSnapshots implements SnapshotStore {
  private static final String PREFIX = "snapshot-";

  private final Path base;
  private final AtomicFiles files;

  FileSnapshots(FileLayout layout, AtomicFiles files) {
    this.base = layout.shared().resolve("state").resolve("snapshots");
    this.files = files;
  }

  private Path dir(StateKey stream) {
    return base.resolve(stream.value());
  }

  private Path file(StateKey stream, long version) {
    return dir(stream).resolve(PREFIX + FileLayout.number(version) + ".json");
  }

  @Override
  public void write(Snapshot snapshot) {
    Path file = file(snapshot.stream(), snapshot.version());
    Dirs.create(dir(snapshot.stream()));
    try {
      files.replace(
          file,
          Json.mapper()
              .writeValueAsBytes(
                  Json.object()
                      .put("stream", snapshot.stream().value())
                      .put("version", snapshot.version())
                      .set("state", snapshot.state())));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private List<Long> versions(StateKey stream) {
    List<Long> out = new ArrayList<>();
    for (String name : Dirs.names(dir(stream), n -> n.startsWith(PREFIX) && n.endsWith(".json"))) {
      try {
        out.add(Long.parseLong(name.substring(PREFIX.length(), name.length() - 5)));
      } catch (NumberFormatException notOurs) {
        // Some other file: ignored.
      }
    }
    out.sort(null);
    return out;
  }

  @Override
  public Optional<Snapshot> latest(StateKey stream) {
    List<Long> versions = versions(stream);
    for (int i = versions.size() - 1; i >= 0; i--) {
      Path file = file(stream, versions.get(i));
      try {
        JsonNode json = Json.mapper().readTree(Files.readAllBytes(file));
        return Optional.of(new Snapshot(stream, versions.get(i), json.path("state")));
      } catch (NoSuchFileException prunedMeanwhile) {
        // Try the one before.
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + file, e);
      }
    }
    return Optional.empty();
  }

  @Override
  public void prune(StateKey stream, int keep) {
    List<Long> versions = versions(stream);
    for (int i = 0; i < versions.size() - Math.max(1, keep); i++) {
      try {
        Files.deleteIfExists(file(stream, versions.get(i)));
      } catch (IOException e) {
        throw new UncheckedIOException("could not prune a snapshot of " + stream, e);
      }
    }
  }
}
