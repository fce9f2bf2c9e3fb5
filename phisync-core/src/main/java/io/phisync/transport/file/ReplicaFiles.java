package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.ForeignText;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.spi.ReplicaKey;
import io.phisync.spi.ReplicaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * CRDT replicas as files: {@code shared/crdt/<key>/type.json}, created once with a hard link (put-
 * if-absent), and {@code shared/crdt/<key>/replicas/<agent>.json}, replaced atomically by its
 * agent. Keys and agent names are validated before they become paths.
 */
final class ReplicaFiles implements ReplicaStore {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaFiles.class);

  private final Path root;
  private final AtomicFiles files;
  private final Clock clock;

  ReplicaFiles(FileLayout layout, AtomicFiles files, Clock clock) {
    this.root = layout.shared().resolve("crdt");
    this.files = files;
    this.clock = clock;
  }

  private Path keyDir(ReplicaKey key) {
    return root.resolve(ReplicaKey.of(key.value()).value());
  }

  private Path typeFile(ReplicaKey key) {
    return keyDir(key).resolve("type.json");
  }

  private Path replicas(ReplicaKey key) {
    return keyDir(key).resolve("replicas");
  }

  @Override
  public String declareType(ReplicaKey key, String type) {
    Optional<String> recorded = type(key);
    if (recorded.isPresent()) {
      return recorded.get();
    }
    Dirs.create(replicas(key));
    String content =
        Json.pretty(
            Json.object()
                .put("key", key.value())
                .put("type", type)
                .put("created", OffsetDateTime.now(clock).toString()));
    try {
      files.createNew(typeFile(key), content.getBytes(StandardCharsets.UTF_8));
      return type;
    } catch (FileAlreadyExistsException e) {
      return type(key).orElseThrow(() -> new IllegalStateException("lost " + typeFile(key)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not record the type of CRDT key " + key, e);
    }
  }

  @Override
  public Optional<String> type(ReplicaKey key) {
    return parse(typeFile(key))
        .map(
            node -> {
              JsonNode type = node.get("type");
              if (type == null || !type.isString()) {
                throw new IllegalStateException(typeFile(key) + " names no \"type\"");
              }
              return type.asString();
            });
  }

  @Override
  public void write(ReplicaKey key, AgentName agent, JsonNode replica) {
    Path target = replicas(key).resolve(FileLayout.checkNotReserved(agent).value() + ".json");
    try {
      Dirs.create(replicas(key));
      files.replace(target, Json.pretty(replica).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
  }

  @Override
  public SortedMap<AgentName, JsonNode> readAll(ReplicaKey key) {
    SortedMap<AgentName, JsonNode> out = new TreeMap<>();
    for (String name : Dirs.messages(replicas(key))) {
      AgentName agent = agentOf(name);
      if (agent == null) {
        LOG.warn("ignoring {}: not <agent>.json", replicas(key).resolve(name));
        continue;
      }
      try {
        parse(replicas(key).resolve(name)).ifPresent(node -> out.put(agent, node));
      } catch (MalformedMessageException e) {
        LOG.warn("ignoring replica {}: {}", replicas(key).resolve(name), e.getMessage());
      }
    }
    return out;
  }

  @Override
  public Optional<JsonNode> read(ReplicaKey key, AgentName agent) {
    return parse(replicas(key).resolve(agent.value() + ".json"));
  }

  @Override
  public SortedSet<ReplicaKey> keys() {
    SortedSet<ReplicaKey> out = new TreeSet<>();
    for (Path dir : Dirs.subdirectories(root)) {
      try {
        ReplicaKey key = ReplicaKey.of(String.valueOf(dir.getFileName()));
        if (Files.exists(typeFile(key))) {
          out.add(key);
        }
      } catch (IllegalArgumentException e) {
        LOG.debug("not a CRDT key directory: {}", dir);
      }
    }
    return out;
  }

  private static @org.jspecify.annotations.Nullable AgentName agentOf(String fileName) {
    try {
      return AgentName.of(fileName.substring(0, fileName.length() - ".json".length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Optional<JsonNode> parse(Path file) {
    try {
      return Optional.of(Json.parse(ForeignText.decode(Files.readAllBytes(file))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }
}
