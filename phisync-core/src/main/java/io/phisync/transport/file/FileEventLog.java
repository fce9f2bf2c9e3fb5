package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.ForeignText;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.protocol.TopicName;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.EventLog;
import io.phisync.spi.StoredEvent;
import io.phisync.spi.SubscriptionCursor;
import io.phisync.spi.UnknownAgentException;
import io.phisync.spi.Wakeup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events as files: {@code shared/events/<topic>/<sequence>.json}. A publisher writes the event to a
 * temp file once and hard-links it to the next free sequence's name; a link fails when the name is
 * taken, so of racing publishers exactly one gets each sequence and the loser tries the next. A
 * reader therefore sees whole events only, and every reader sees the same order.
 *
 * <p>This class is thread-safe, and safe with other processes using the same root.
 */
final class FileEventLog implements EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(FileEventLog.class);
  private static final int RESCAN_AFTER_COLLISIONS = 16;

  private final FileTransportConfig config;
  private final FileLayout layout;
  private final AtomicFiles files;
  private final DeadLetterFiles deadLetters;
  private final Wakeups wakeups;
  private final Supplier<SortedSet<AgentName>> agents;
  private final ForeignEvents foreign;

  /** Per topic, the highest sequence this process knows to exist: where a publisher starts. */
  private final ConcurrentHashMap<TopicName, AtomicLong> heads = new ConcurrentHashMap<>();

  private final java.util.Set<TopicName> created = ConcurrentHashMap.newKeySet();

  FileEventLog(
      FileTransportConfig config,
      FileLayout layout,
      AtomicFiles files,
      DeadLetterFiles deadLetters,
      Wakeups wakeups,
      Supplier<SortedSet<AgentName>> agents) {
    this.config = config;
    this.layout = layout;
    this.files = files;
    this.deadLetters = deadLetters;
    this.wakeups = wakeups;
    this.agents = agents;
    this.foreign = new ForeignEvents(config, layout, files, deadLetters, this);
  }

  // ------------------------------------------------------------- appending

  @Override
  public StoredEvent append(TopicName topic, ObjectNode event) {
    ObjectNode copy = event.deepCopy();
    copy.put("topic", topic.value());
    byte[] bytes = Json.mapper().writeValueAsBytes(copy);
    Path dir = topicDir(topic);
    AtomicLong head = heads.computeIfAbsent(topic, t -> new AtomicLong(scanMax(t)));
    try {
      Path temp = files.writeTemp(dir.resolve("append.json"), bytes);
      CrashPoints.reach("event.tempWritten");
      try {
        long sequence = claimSequence(topic, temp, bytes, head.get() + 1);
        CrashPoints.reach("event.linked");
        head.accumulateAndGet(sequence, Math::max);
        files.syncDirectory(dir);
        return new StoredEvent(topic, sequence, copy);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not append an event to topic " + topic, e);
    }
  }

  private long claimSequence(TopicName topic, Path temp, byte[] bytes, long first)
      throws IOException {
    long sequence = first;
    for (int collisions = 1; ; collisions++) {
      Path target = layout.event(topic, sequence);
      try {
        Files.createLink(target, temp); // Put-if-absent: one winner per sequence.
        return sequence;
      } catch (FileAlreadyExistsException taken) {
        sequence++;
      } catch (UnsupportedOperationException noLinks) {
        if (createInPlace(target, bytes)) {
          return sequence;
        }
        sequence++;
      }
      if (collisions % RESCAN_AFTER_COLLISIONS == 0) {
        sequence = Math.max(sequence, scanMax(topic) + 1); // Far behind: look where the end is.
      }
    }
  }

  /** Without hard links: an exclusive create written in place (readers wait out partial files). */
  private boolean createInPlace(Path target, byte[] bytes) throws IOException {
    try {
      Files.write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException taken) {
      return false;
    }
  }

  private Path topicDir(TopicName topic) {
    Path dir = layout.topic(topic);
    if (created.add(topic)) {
      Dirs.create(dir);
    }
    return dir;
  }

  // --------------------------------------------------------------- reading

  @Override
  public List<StoredEvent> read(TopicName topic, long from, int max) {
    List<StoredEvent> out = new ArrayList<>();
    long sequence = Math.max(1, from);
    while (out.size() < max) {
      Path path = layout.event(topic, sequence);
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(path);
      } catch (NoSuchFileException absent) {
        if (!out.isEmpty()) {
          break; // Not published yet: sequences are taken in order.
        }
        long next = firstAtOrAfter(topic, sequence);
        if (next == 0) {
          break;
        }
        sequence = next; // Removed by retention: the caller sees the gap.
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + path, e);
      }
      ObjectNode json = parse(path, bytes);
      if (json == null) {
        if (isYoung(path)) {
          break; // Written in place without hard links, and not finished yet.
        }
        LOG.warn("skipping unreadable event {}", path);
      } else {
        out.add(new StoredEvent(topic, sequence, json));
      }
      sequence++;
    }
    return out;
  }

  private static @Nullable ObjectNode parse(Path path, byte[] bytes) {
    try {
      return Json.parse(ForeignText.decode(bytes)) instanceof ObjectNode object ? object : null;
    } catch (MalformedMessageException e) {
      LOG.debug("not (yet) an event: {}: {}", path, e.getMessage());
      return null;
    }
  }

  private boolean isYoung(Path path) {
    try {
      FileTime modified = Files.getLastModifiedTime(path);
      return modified.toInstant().plus(config.malformedGrace()).isAfter(config.clock().instant());
    } catch (IOException e) {
      return false;
    }
  }

  /** The smallest sequence at or after {@code from} that exists, or 0. */
  private long firstAtOrAfter(TopicName topic, long from) {
    long best = 0;
    for (long sequence : sequences(topic)) {
      if (sequence >= from && (best == 0 || sequence < best)) {
        best = sequence;
      }
    }
    return best;
  }

  /** The sequences of a topic's event files, ascending. */
  List<Long> sequences(TopicName topic) {
    List<Long> out = new ArrayList<>();
    for (String name : Dirs.messages(layout.topic(topic))) {
      long sequence = sequenceOf(name);
      if (sequence > 0) {
        out.add(sequence);
      }
    }
    out.sort(null);
    return out;
  }

  private static long sequenceOf(String name) {
    String stem = name.substring(0, name.length() - ".json".length());
    if (stem.length() < 12 || stem.length() > 18 || !stem.chars().allMatch(Character::isDigit)) {
      return 0;
    }
    return Long.parseLong(stem);
  }

  private long scanMax(TopicName topic) {
    List<Long> all = sequences(topic);
    return all.isEmpty() ? 0 : all.get(all.size() - 1);
  }

  @Override
  public SortedSet<TopicName> topics() {
    SortedSet<TopicName> out = new TreeSet<>();
    for (Path dir : Dirs.subdirectories(layout.events())) {
      try {
        out.add(TopicName.of(dir.getFileName().toString()));
      } catch (IllegalArgumentException notATopic) {
        // Some other directory.
      }
    }
    return out;
  }

  @Override
  public long nextSequence(TopicName topic) {
    return scanMax(topic) + 1;
  }

  @Override
  public int ingestForeign() {
    return foreign.ingest();
  }

  // --------------------------------------------------------------- cursors

  @Override
  public Optional<SubscriptionCursor> cursor(AgentName subscriber, AgentName name) {
    Path path = layout.cursor(subscriber, name);
    try {
      return Optional.of(decodeCursor(Files.readAllBytes(path)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read cursor " + path, e);
    } catch (RuntimeException e) {
      throw new MalformedMessageException(
          "cursor " + path + " is not readable (" + e.getMessage() + ")", e);
    }
  }

  private static SubscriptionCursor decodeCursor(byte[] bytes) {
    JsonNode json = Json.parse(ForeignText.decode(bytes));
    Map<TopicName, Long> next = new HashMap<>();
    JsonNode positions = json.path("next");
    for (String topic : positions.propertyNames()) {
      next.put(TopicName.of(topic), positions.get(topic).asLong());
    }
    return new SubscriptionCursor(
        AgentName.of(json.path("subscriber").asString()),
        AgentName.of(json.path("subscription").asString()),
        next,
        json.path("filter"),
        io.phisync.protocol.Timestamps.parse(json.path("updated").asString()));
  }

  @Override
  public void saveCursor(SubscriptionCursor cursor) {
    AgentName subscriber = cursor.subscriber();
    if (FileLayout.RESERVED.contains(subscriber.value())
        || !Files.isDirectory(layout.inbox(subscriber))) {
      throw new UnknownAgentException(
          "unknown agent '"
              + subscriber
              + "' under "
              + layout.root()
              + "; a subscriber is an agent: create it with 'phisync init --agents "
              + subscriber
              + "'");
    }
    ObjectNode json =
        Json.object()
            .put("subscriber", subscriber.value())
            .put("subscription", cursor.name().value());
    ObjectNode next = json.putObject("next");
    cursor.next().forEach((topic, sequence) -> next.put(topic.value(), sequence));
    json.set("filter", cursor.filter());
    json.put("updated", cursor.updated().toString());
    Path path = layout.cursor(subscriber, cursor.name());
    try {
      Files.createDirectories(path.getParent());
      files.replace(path, Json.mapper().writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException("could not save cursor " + path, e);
    }
  }

  @Override
  public List<SubscriptionCursor> cursors() {
    List<SubscriptionCursor> out = new ArrayList<>();
    for (AgentName agent : agents.get()) {
      for (String name : Dirs.messages(layout.subscriptions(agent))) {
        try {
          out.add(decodeCursor(Files.readAllBytes(layout.subscriptions(agent).resolve(name))));
        } catch (IOException | RuntimeException e) {
          LOG.debug("unreadable cursor {} of {}: {}", name, agent, e.toString());
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------ watch, retention

  @Override
  public Wakeup watch(Collection<TopicName> topics) {
    Dirs.create(layout.events());
    List<Path> dirs = new ArrayList<>();
    dirs.add(layout.events());
    for (TopicName topic : topics.isEmpty() ? topics() : topics) {
      dirs.add(topicDir(topic));
    }
    return wakeups.watchAll(dirs);
  }

  @Override
  public int sweep(Instant cutoff, int maxPerTopic) {
    int removed = 0;
    for (TopicName topic : topics()) {
      List<Long> all = sequences(topic);
      for (int i = 0; i < all.size() - 1; i++) { // Never the newest: sequences are never reused.
        Path path = layout.event(topic, all.get(i));
        boolean tooMany = all.size() - i > maxPerTopic;
        if (!tooMany && !writtenBefore(path, cutoff)) {
          break; // Only from the old end: the retained range stays contiguous.
        }
        try {
          if (Files.deleteIfExists(path)) {
            removed++;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("could not remove " + path, e);
        }
      }
    }
    return removed;
  }

  @Override
  public boolean claimSweep(java.time.Duration interval) {
    Path marker = layout.events().resolve(".swept");
    Instant now = config.clock().instant();
    try {
      if (Files.exists(marker)
          && Files.getLastModifiedTime(marker).toInstant().plus(interval).isAfter(now)) {
        return false;
      }
      Dirs.create(layout.events());
      try {
        Files.createFile(marker);
      } catch (FileAlreadyExistsException e) {
        // Stamped below.
      }
      Files.setLastModifiedTime(marker, FileTime.from(now));
      return true;
    } catch (IOException e) {
      LOG.debug("sweep marker {}: {}", marker, e.toString());
      return true;
    }
  }

  private static boolean writtenBefore(Path path, Instant cutoff) {
    try {
      return Files.getLastModifiedTime(path).toInstant().isBefore(cutoff);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public DeadLetter deadLetter(AgentName subscriber, StoredEvent event, String reason) {
    return deadLetters.write(
        subscriber,
        event.json().path("id").isString() ? event.json().get("id").asString() : null,
        reason,
        OffsetDateTime.now(config.clock()),
        layout.event(event.topic(), event.sequence()),
        Json.mapper().writeValueAsBytes(event.json()),
        List.of());
  }
}
