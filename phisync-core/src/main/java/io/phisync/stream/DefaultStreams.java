package io.phisync.stream;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import io.phisync.spi.RevisionLog;
import io.phisync.spi.Snapshot;
import io.phisync.spi.SnapshotStore;
import io.phisync.spi.Transport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streams over a {@link RevisionLog}: each append is the stream's next commit, {@code {"stream",
 * "commit", "firstVersion", "lastVersion", "events": [...]}}, committed by compare-and-set on the
 * commit number after checking the expected version against the latest commit.
 */
final class DefaultStreams implements Streams {
  private final RevisionLog log;
  private final SnapshotStore snapshots;
  private final StreamOptions options;
  private final Clock clock;

  DefaultStreams(Transport transport, StreamOptions options, Clock clock) {
    this.log = transport.log(LogKind.STREAMS);
    this.snapshots = transport.snapshots();
    this.options = options;
    this.clock = clock;
  }

  private static long lastVersion(Optional<Revision> commit) {
    return commit.map(c -> c.record().path("lastVersion").asLong(0)).orElse(0L);
  }

  @Override
  public long append(String stream, List<NewEvent> events, long expectedVersion) {
    StateKey key = StateKey.of(stream);
    while (true) {
      Optional<Revision> latest = log.latest(key);
      long version = lastVersion(latest);
      if (expectedVersion != ANY && expectedVersion != version) {
        throw new WrongExpectedVersionException(stream, expectedVersion, version);
      }
      if (events.isEmpty()) {
        return version;
      }
      long commit = latest.map(Revision::revision).orElse(0L) + 1;
      String now = clock.instant().toString();
      ArrayNode array = Json.mapper().createArrayNode();
      long v = version;
      for (NewEvent event : events) {
        array
            .addObject()
            .put("version", ++v)
            .put("type", event.type())
            .put("appended", now)
            .set("data", event.data());
      }
      ObjectNode record =
          Json.object()
              .put("stream", stream)
              .put("commit", commit)
              .put("firstVersion", version + 1)
              .put("lastVersion", v);
      record.set("events", array);
      if (log.tryCommit(key, commit, record)) {
        return v;
      }
      // Another writer appended first: judge the expected version again.
    }
  }

  @Override
  public long version(String stream) {
    return lastVersion(log.latest(StateKey.of(stream)));
  }

  @Override
  public List<StreamEvent> read(String stream, long fromVersion, int max) {
    List<StreamEvent> out = new ArrayList<>();
    for (Revision commit : log.from(StateKey.of(stream), 1)) {
      if (commit.record().path("lastVersion").asLong(0) < fromVersion) {
        continue;
      }
      for (JsonNode event : commit.record().path("events")) {
        long version = event.path("version").asLong(0);
        if (version >= fromVersion && out.size() < max) {
          out.add(toEvent(stream, event));
        }
      }
      if (out.size() >= max) {
        break;
      }
    }
    return out;
  }

  private static StreamEvent toEvent(String stream, JsonNode event) {
    Instant appended;
    try {
      appended = Instant.parse(event.path("appended").asString(""));
    } catch (java.time.format.DateTimeParseException e) {
      appended = Instant.EPOCH;
    }
    return new StreamEvent(
        stream,
        event.path("version").asLong(0),
        event.path("type").asString(""),
        event.path("data"),
        appended);
  }

  @Override
  public <S> Rebuilt<S> rebuild(String stream, Projection<S> projection) {
    StateKey key = StateKey.of(stream);
    Optional<Snapshot> snapshot = snapshots.latest(key);
    long from = snapshot.map(Snapshot::version).orElse(0L);
    S state =
        snapshot.isPresent()
            ? Json.mapper().treeToValue(snapshot.get().state(), projection.type())
            : projection.initial();
    long version = from;
    for (StreamEvent event : read(stream, from + 1, Integer.MAX_VALUE)) {
      state = projection.fold().apply(state, event);
      version = event.version();
    }
    if (options.snapshotEvery() > 0 && version - from >= options.snapshotEvery()) {
      snapshot(stream, version, Json.mapper().valueToTree(state));
    }
    return new Rebuilt<>(state, version, from);
  }

  @Override
  public void snapshot(String stream, long version, JsonNode state) {
    StateKey key = StateKey.of(stream);
    long current = version(stream);
    if (version < 0 || version > current) {
      throw new IllegalArgumentException(
          "stream '" + stream + "' is at version " + current + "; cannot snapshot " + version);
    }
    snapshots.write(new Snapshot(key, version, state));
    snapshots.prune(key, options.snapshotsKept());
  }

  @Override
  public Optional<Snapshot> latestSnapshot(String stream) {
    return snapshots.latest(StateKey.of(stream));
  }

  @Override
  public List<String> names() {
    return log.keys("").stream().map(StateKey::value).toList();
  }
}
