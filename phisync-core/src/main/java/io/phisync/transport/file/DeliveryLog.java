package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.spi.DeliveryRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * The failed deliveries of each message, in {@code <agent>/deliveries/<id>.json}. Only the holder
 * of a message's claim writes its log, so writes do not race.
 */
final class DeliveryLog {
  /** The file's shape. */
  record History(String id, List<DeliveryRecord> history) {}

  private final FileLayout layout;
  private final AtomicFiles files;

  DeliveryLog(FileLayout layout, AtomicFiles files) {
    this.layout = layout;
    this.files = files;
  }

  List<DeliveryRecord> history(AgentName agent, MessageId id) {
    Path path = layout.deliveryLog(agent, id);
    if (!path.toFile().exists()) {
      // The common case (no failed delivery yet), answered by one stat without the cost of an
      // exception; a log that appears right after is read on the next claim.
      return List.of();
    }
    try {
      return List.copyOf(
          Json.mapper().readValue(Files.readAllBytes(path), History.class).history());
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    } catch (JacksonException e) {
      // A damaged log must not block delivery: count from zero again.
      return List.of();
    }
  }

  List<DeliveryRecord> append(AgentName agent, MessageId id, DeliveryRecord record) {
    List<DeliveryRecord> history = new ArrayList<>(history(agent, id));
    history.add(record);
    Path path = layout.deliveryLog(agent, id);
    try {
      Dirs.create(AtomicFiles.parent(path));
      files.replace(path, Json.mapper().writeValueAsBytes(new History(id.value(), history)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + path, e);
    }
    return history;
  }

  void clear(AgentName agent, MessageId id) {
    try {
      Files.deleteIfExists(layout.deliveryLog(agent, id));
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the delivery log of " + id, e);
    }
  }
}
