package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.protocol.Json;
import io.phisync.spi.Snapshot;
import io.phisync.stream.NewEvent;
import io.phisync.stream.StreamEvent;
import io.phisync.stream.Streams;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The work of {@code phisync stream ...}. */
final class StreamTasks {
  private final Session session;

  StreamTasks(Session session) {
    this.session = session;
  }

  int append(String stream, String type, List<JsonNode> data, @Nullable Long expected) {
    List<NewEvent> events = data.stream().map(d -> new NewEvent(type, d)).toList();
    try (PhiSync phi = session.open()) {
      long version =
          phi.streams().append(stream, events, expected == null ? Streams.ANY : expected);
      session.out().println(version);
      return ExitCodes.OK;
    }
  }

  int read(String stream, long from, int max) {
    try (PhiSync phi = session.open()) {
      for (StreamEvent e : phi.streams().read(stream, from, max)) {
        session
            .out()
            .println(
                Json.compact(
                    Json.object()
                        .put("stream", e.stream())
                        .put("version", e.version())
                        .put("type", e.type())
                        .put("appended", e.appended().toString())
                        .set("data", e.data())));
      }
      return ExitCodes.OK;
    }
  }

  int showSnapshot(String stream) {
    try (PhiSync phi = session.open()) {
      Optional<Snapshot> latest = phi.streams().latestSnapshot(stream);
      if (latest.isEmpty()) {
        session.err().println("phisync: no snapshot of stream '" + stream + "'");
        return ExitCodes.NOTHING_RECEIVED;
      }
      session
          .out()
          .println(
              Json.compact(
                  Json.object()
                      .put("stream", stream)
                      .put("version", latest.get().version())
                      .set("state", latest.get().state())));
      return ExitCodes.OK;
    }
  }

  int writeSnapshot(String stream, long version, JsonNode state) {
    try (PhiSync phi = session.open()) {
      phi.streams().snapshot(stream, version, state);
      return ExitCodes.OK;
    }
  }
}
