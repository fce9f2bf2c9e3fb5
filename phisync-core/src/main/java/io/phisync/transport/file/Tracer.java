package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.TraceEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Finds every stored message of one conversation. */
final class Tracer {
  private static final Logger LOG = LoggerFactory.getLogger(Tracer.class);

  private final FileLayout layout;
  private final List<TraceEntry> found = new ArrayList<>();

  Tracer(FileLayout layout) {
    this.layout = layout;
  }

  List<TraceEntry> trace(String id, Iterable<AgentName> agents) {
    for (AgentName agent : agents) {
      scan(layout.inbox(agent), "pending", id);
      scan(layout.claimed(agent), "claimed", id);
      for (Path day : Dirs.subdirectories(layout.processedRoot(agent))) {
        scan(day, "processed", id);
      }
      scan(layout.outbox(agent), "response", id);
      for (Path day : Dirs.subdirectories(layout.takenRoot(agent))) {
        scan(day, "response-taken", id);
      }
      scan(layout.expiredResponses(agent), "response-expired", id);
    }
    for (String name : Dirs.messages(layout.dlq())) {
      deadLetter(layout.dlq().resolve(name), id);
    }
    found.sort(
        Comparator.comparing(
                (TraceEntry e) -> e.envelope().timestamp(),
                Comparator.nullsLast(Comparator.comparing(OffsetDateTime::toInstant)))
            .thenComparing(TraceEntry::location));
    return List.copyOf(found);
  }

  private void scan(Path dir, String state, String id) {
    for (String name : Dirs.messages(dir)) {
      Path path = dir.resolve(name);
      try {
        String original = name.contains("~") ? name.substring(name.indexOf('~') + 1) : name;
        Envelope envelope =
            EnvelopeCodec.decode(Files.readAllBytes(path), FileLayout.idFromFileName(original));
        if (matches(envelope, id)) {
          found.add(new TraceEntry(relative(path), state, envelope));
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("trace skips {}: {}", path, e.toString());
      }
    }
  }

  private void deadLetter(Path path, String id) {
    try {
      DeadLetter letter = Json.mapper().readValue(Files.readAllBytes(path), DeadLetter.class);
      JsonNode original = letter.original();
      if (original != null && original.isObject()) {
        Envelope envelope =
            EnvelopeCodec.decode(Json.mapper().writeValueAsBytes(original), letter.messageId());
        if (matches(envelope, id)) {
          found.add(new TraceEntry(relative(path), "dead-letter", envelope));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("trace skips {}: {}", path, e.toString());
    }
  }

  private static boolean matches(Envelope envelope, String id) {
    return id.equals(envelope.id())
        || Objects.equals(id, envelope.correlationId())
        || Objects.equals(id, envelope.causationId());
  }

  private String relative(Path path) {
    return layout.root().relativize(path).toString().replace('\\', '/');
  }
}
