package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.ForeignText;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.DeadLetterStore;
import io.phisync.spi.DeliveryRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Dead letters as files {@code dlq/<entryId>.json}; replayed and purged ones go to the archive. */
final class DeadLetterFiles implements DeadLetterStore {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFiles.class);

  private final FileLayout layout;
  private final AtomicFiles files;
  private final DeliveryLog deliveries;
  private final BiConsumer<AgentName, Envelope> enqueue;

  DeadLetterFiles(
      FileLayout layout,
      AtomicFiles files,
      DeliveryLog deliveries,
      BiConsumer<AgentName, Envelope> enqueue) {
    this.layout = layout;
    this.files = files;
    this.deliveries = deliveries;
    this.enqueue = enqueue;
  }

  DeadLetter write(
      AgentName agent,
      @Nullable String messageId,
      String reason,
      OffsetDateTime at,
      Path source,
      byte[] original,
      List<DeliveryRecord> history) {
    JsonNode json = null;
    String text = null;
    try {
      json = Json.parse(ForeignText.decode(original));
    } catch (RuntimeException notJson) {
      try {
        text = ForeignText.decode(original);
      } catch (RuntimeException notText) {
        text = "base64:" + Base64.getEncoder().encodeToString(original);
      }
    }
    DeadLetter letter =
        new DeadLetter(
            MessageId.next().value(),
            agent.value(),
            messageId,
            reason,
            at,
            layout.root().relativize(source).toString().replace('\\', '/'),
            json,
            text,
            history);
    Path path = layout.deadLetter(letter.entryId());
    try {
      Dirs.create(AtomicFiles.parent(path));
      files.createNew(path, Json.mapper().writeValueAsBytes(letter));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write dead letter " + path, e);
    }
    LOG.warn("dead-lettered {} of {} as {}: {}", letter.source(), agent, letter.entryId(), reason);
    return letter;
  }

  /**
   * Dead-letters a file too large to read: the entry says so, and the file itself is kept beside it
   * as {@code dlq/<entryId>.data}.
   */
  DeadLetter writeOversize(
      AgentName agent,
      Path source,
      Path file,
      long size,
      OffsetDateTime at,
      @Nullable String messageId) {
    String entryId = MessageId.next().value();
    Path data = layout.dlq().resolve(entryId + ".data");
    DeadLetter letter =
        new DeadLetter(
            entryId,
            agent.value(),
            messageId,
            "message of "
                + size
                + " bytes is over the limit of "
                + EnvelopeCodec.MAX_MESSAGE_BYTES
                + "; the file is kept as dlq/"
                + data.getFileName(),
            at,
            layout.root().relativize(source).toString().replace('\\', '/'),
            null,
            null,
            List.of());
    try {
      Dirs.create(layout.dlq());
      files.move(file, data);
      files.createNew(layout.deadLetter(entryId), Json.mapper().writeValueAsBytes(letter));
    } catch (IOException e) {
      throw new UncheckedIOException("could not dead-letter oversized " + file, e);
    }
    LOG.warn("dead-lettered {} of {} as {}: {}", letter.source(), agent, entryId, letter.reason());
    return letter;
  }

  @Override
  public List<DeadLetter> list() {
    List<DeadLetter> out = new ArrayList<>();
    for (String name : Dirs.messages(layout.dlq())) {
      read(layout.dlq().resolve(name)).ifPresent(out::add);
    }
    out.sort(Comparator.comparing(DeadLetter::deadLetteredAt).thenComparing(DeadLetter::entryId));
    return out;
  }

  @Override
  public Optional<DeadLetter> get(String entryId) {
    return read(layout.deadLetter(entryId));
  }

  @Override
  public MessageId replay(String entryId) {
    DeadLetter letter =
        get(entryId)
            .orElseThrow(() -> new IllegalArgumentException("no dead letter '" + entryId + "'"));
    JsonNode original = letter.original();
    if (original == null || !original.isObject()) {
      throw new IllegalArgumentException(
          "dead letter "
              + entryId
              + " holds a file that is not a JSON object; fix it and write it to the inbox"
              + " yourself");
    }
    Envelope envelope;
    try {
      envelope =
          EnvelopeCodec.decode(Json.mapper().writeValueAsBytes(original), letter.messageId());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "dead letter " + entryId + " is not a replayable message: " + e.getMessage(), e);
    }
    AgentName agent = AgentName.of(letter.agent());
    deliveries.clear(agent, envelope.messageId());
    enqueue.accept(agent, envelope.toBuilder().attempt(null).build());
    archive(entryId);
    return envelope.messageId();
  }

  @Override
  public boolean purge(String entryId) {
    try {
      Files.deleteIfExists(layout.dlq().resolve(MessageId.of(entryId).value() + ".data"));
      return Files.deleteIfExists(layout.deadLetter(entryId));
    } catch (IOException e) {
      throw new UncheckedIOException("could not purge dead letter " + entryId, e);
    }
  }

  @Override
  public int purgeAll() {
    int count = 0;
    for (DeadLetter letter : list()) {
      if (purge(letter.entryId())) {
        count++;
      }
    }
    return count;
  }

  private void archive(String entryId) {
    Path path = layout.deadLetter(entryId);
    try {
      Dirs.create(layout.dlqArchive());
      files.move(path, layout.dlqArchive().resolve(path.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not archive dead letter " + entryId, e);
    }
  }

  private Optional<DeadLetter> read(Path path) {
    try {
      return Optional.of(Json.mapper().readValue(Files.readAllBytes(path), DeadLetter.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    } catch (JacksonException e) {
      LOG.warn("skipping unreadable dead-letter file {}: {}", path, e.getOriginalMessage());
      return Optional.empty();
    }
  }
}
