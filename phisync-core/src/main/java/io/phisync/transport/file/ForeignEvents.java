package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.ForeignText;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.Timestamps;
import io.phisync.protocol.TopicName;
import io.phisync.spi.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ingests event files that foreign publishers drop straight into {@code shared/events/} (any {@code
 * *.json} name, written in place, in any of the encodings {@link ForeignText} reads).
 *
 * <p>Whoever notices a file first claims it by renaming it to a hidden working name {@code
 * .<name>.<token>.ingest} (one winner), appends it to its topic and deletes the working file. A
 * file that does not parse is given back while it is younger than the grace period (its writer may
 * not be done) and dead-lettered after. A working file older than a minute belongs to an ingester
 * that died: it is taken over, and appended unless its event id is already among the topic's recent
 * events.
 */
final class ForeignEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ForeignEvents.class);
  static final String WORKING_SUFFIX = ".ingest";
  private static final Duration ABANDONED = Duration.ofMinutes(1);
  private static final int RECENT_SCAN_LIMIT = 10_000;
  private static final AgentName DLQ_AGENT = AgentName.of("shared");

  private final FileTransportConfig config;
  private final FileLayout layout;
  private final AtomicFiles files;
  private final DeadLetterFiles deadLetters;
  private final FileEventLog log;

  /** Files that did not parse yet: their modification time then, skipped until it changes. */
  private final ConcurrentHashMap<Path, FileTime> unparsed = new ConcurrentHashMap<>();

  ForeignEvents(
      FileTransportConfig config,
      FileLayout layout,
      AtomicFiles files,
      DeadLetterFiles deadLetters,
      FileEventLog log) {
    this.config = config;
    this.layout = layout;
    this.files = files;
    this.deadLetters = deadLetters;
    this.log = log;
  }

  int ingest() {
    Path dir = layout.events();
    int ingested = 0;
    for (String name : Dirs.messages(dir)) {
      if (ingest(dir.resolve(name), name)) {
        ingested++;
      }
    }
    for (String name : Dirs.names(dir, n -> n.startsWith(".") && n.endsWith(WORKING_SUFFIX))) {
      if (recover(dir.resolve(name))) {
        ingested++;
      }
    }
    return ingested;
  }

  private boolean ingest(Path source, String name) {
    FileTime written = modified(source);
    if (written == null || written.equals(unparsed.get(source)) && isYoung(written)) {
      return false; // Gone, or unchanged since it did not parse and its writer may be at work.
    }
    Path working = source.resolveSibling("." + name + "." + token() + WORKING_SUFFIX);
    try {
      files.move(source, working);
    } catch (NoSuchFileException e) {
      return false; // Another ingester won.
    } catch (IOException e) {
      LOG.debug("could not claim {}: {}", source, e.toString()); // A writer holds it (Windows).
      return false;
    }
    return finish(source, working, written, /* recovered= */ false);
  }

  /** Appends a claimed file to its topic, or gives it back, or dead-letters it. */
  private boolean finish(Path source, Path working, FileTime written, boolean recovered) {
    // A link (never followed out of the root) or a file over the size limit: dead-lettered unread.
    String refused = Entries.whyNotAMessage(working);
    long size = refused == null ? sizeOf(working) : 0;
    if (refused != null || size > EnvelopeCodec.MAX_MESSAGE_BYTES) {
      OffsetDateTime now = OffsetDateTime.now(config.clock());
      if (refused != null) {
        deadLetters.write(DLQ_AGENT, null, refused, now, source, new byte[0], List.of());
        delete(working);
      } else {
        deadLetters.writeOversize(DLQ_AGENT, source, working, size, now, null);
      }
      unparsed.remove(source);
      return false;
    }
    byte[] bytes;
    try {
      Files.setLastModifiedTime(working, FileTime.from(config.clock().instant()));
      // O_NOFOLLOW: a file swapped for a link after the check above is refused, not followed.
      try (java.io.InputStream in = Files.newInputStream(working, LinkOption.NOFOLLOW_LINKS)) {
        bytes = in.readNBytes(EnvelopeCodec.MAX_MESSAGE_BYTES);
      }
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + working, e);
    }
    String name = source.getFileName().toString();
    ObjectNode event;
    try {
      event = normalize(bytes, name, written.toInstant());
    } catch (RuntimeException e) {
      if (!recovered && isYoung(written)) {
        giveBack(working, source, written);
        return false;
      }
      unparsed.remove(source);
      deadLetters.write(
          DLQ_AGENT,
          null,
          "malformed event: " + e.getMessage(),
          OffsetDateTime.now(config.clock()),
          source,
          bytes,
          List.of());
      delete(working);
      return false;
    }
    unparsed.remove(source);
    TopicName topic = TopicName.of(event.get("topic").asString());
    if (!recovered || !recentlyAppended(topic, event.get("id").asString())) {
      StoredEvent stored = log.append(topic, event);
      LOG.debug("ingested {} as {}#{}", name, topic, stored.sequence());
    }
    delete(working);
    return true;
  }

  private void giveBack(Path working, Path source, FileTime written) {
    try {
      Files.setLastModifiedTime(working, written);
      Files.createLink(source, working);
      Files.delete(working);
      unparsed.put(source, written);
    } catch (FileAlreadyExistsException e) {
      // The writer made a new file of that name meanwhile; look at this one again later.
      LOG.debug("{} reappeared; keeping {} for recovery", source, working);
    } catch (IOException e) {
      throw new UncheckedIOException("could not give back " + working, e);
    }
  }

  private boolean recover(Path working) {
    FileTime claimed = modified(working);
    if (claimed == null || claimed.toInstant().plus(ABANDONED).isAfter(config.clock().instant())) {
      return false; // Its ingester is (presumably) still at work.
    }
    String name = working.getFileName().toString();
    // .<original>.<token>.ingest -> <original>
    String original = name.substring(1, name.length() - WORKING_SUFFIX.length());
    original = original.substring(0, original.lastIndexOf('.'));
    Path taken = working.resolveSibling("." + original + "." + token() + WORKING_SUFFIX);
    try {
      files.move(working, taken);
    } catch (IOException e) {
      return false; // Another ingester took it over first.
    }
    return finish(working.resolveSibling(original), taken, claimed, /* recovered= */ true);
  }

  /** Whether an event with this id is among the topic's newest events (a dead ingester's work). */
  private boolean recentlyAppended(TopicName topic, String id) {
    List<Long> sequences = log.sequences(topic);
    int from = Math.max(0, sequences.size() - RECENT_SCAN_LIMIT);
    for (int i = sequences.size() - 1; i >= from; i--) {
      for (StoredEvent e : log.read(topic, sequences.get(i), 1)) {
        if (id.equals(e.json().path("id").asString(""))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The event a foreign file holds, completed: {@code id} (else derived from the file's name and
   * bytes, so a retried ingestion gets the same one), {@code timestamp} (else when the file was
   * written), {@code topic} (else {@code default}), {@code severity} (else {@code info}).
   *
   * @throws RuntimeException saying what is wrong with it
   */
  static ObjectNode normalize(byte[] bytes, String fileName, Instant written) {
    JsonNode json = Json.parse(ForeignText.decode(bytes));
    if (!(json instanceof ObjectNode event)) {
      throw new IllegalArgumentException("an event file holds one JSON object");
    }
    JsonNode type = event.get("eventType");
    if (type == null || !type.isString() || type.asString().isBlank()) {
      throw new IllegalArgumentException("eventType is missing or not a string");
    }
    JsonNode id = event.get("id");
    if (id == null || id.isNull()) {
      event.put("id", derivedId(fileName, bytes));
    } else {
      MessageId.of(id.asString()); // Names the rule when it breaks it.
    }
    JsonNode timestamp = event.get("timestamp");
    if (timestamp == null || timestamp.isNull()) {
      event.put(
          "timestamp", OffsetDateTime.ofInstant(written, java.time.ZoneOffset.UTC).toString());
    } else {
      Timestamps.parse(timestamp.asString());
    }
    JsonNode topic = event.get("topic");
    event.put(
        "topic",
        topic == null || topic.isNull()
            ? TopicName.DEFAULT.value()
            : TopicName.of(topic.asString()).value());
    JsonNode severity = event.get("severity");
    if (severity == null || severity.isNull()) {
      event.put("severity", "info");
    }
    return event;
  }

  private static String derivedId(String fileName, byte[] bytes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(fileName.getBytes(StandardCharsets.UTF_8));
      sha.update(bytes);
      return "f-" + HexFormat.of().formatHex(sha.digest()).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  private static long sizeOf(Path path) {
    try {
      return Files.size(path);
    } catch (IOException gone) {
      return 0;
    }
  }

  private boolean isYoung(FileTime written) {
    return written.toInstant().plus(config.malformedGrace()).isAfter(config.clock().instant());
  }

  private static @Nullable FileTime modified(Path path) {
    try {
      return Files.getLastModifiedTime(path);
    } catch (IOException e) {
      return null;
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + path, e);
    }
  }

  private static String token() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }
}
