package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.ForeignText;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.spi.AgentRegistry;
import io.phisync.spi.UnknownAgentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Agent records as files: {@code <agent>/instances/<instanceId>.json} per running instance and
 * {@code <agent>/state.json}, each replaced atomically.
 */
final class AgentFiles implements AgentRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(AgentFiles.class);
  private static final long MAX_RECORD_BYTES = 1 << 20;

  private final FileLayout layout;
  private final AtomicFiles files;

  AgentFiles(FileLayout layout, AtomicFiles files) {
    this.layout = layout;
    this.files = files;
  }

  @Override
  public void writeInstance(AgentName agent, String instanceId, ObjectNode record) {
    Path path = layout.instance(requireAgent(agent), MessageId.of(instanceId));
    write(path, record);
  }

  @Override
  public void removeInstance(AgentName agent, String instanceId) {
    Path path = layout.instance(agent, MessageId.of(instanceId));
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + path, e);
    }
  }

  @Override
  public List<ObjectNode> instances(AgentName agent) {
    Path dir = layout.instances(agent);
    List<ObjectNode> out = new ArrayList<>();
    for (String name : Dirs.messages(dir)) {
      Path path = dir.resolve(name);
      try {
        if (Files.size(path) > MAX_RECORD_BYTES) {
          continue;
        }
        JsonNode json = Json.parse(ForeignText.decode(Files.readAllBytes(path)));
        if (json instanceof ObjectNode object) {
          out.add(object);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("skipping unreadable instance record {}: {}", path, e.toString());
      }
    }
    return out;
  }

  @Override
  public void writeState(AgentName agent, ObjectNode state) {
    write(layout.agentState(requireAgent(agent)), state);
  }

  private AgentName requireAgent(AgentName agent) {
    if (FileLayout.RESERVED.contains(agent.value()) || !Files.isDirectory(layout.inbox(agent))) {
      throw new UnknownAgentException(
          "unknown agent '" + agent + "' under " + layout.root() + "; run 'phisync init' first");
    }
    return agent;
  }

  private void write(Path path, ObjectNode content) {
    try {
      Files.createDirectories(AtomicFiles.parent(path));
      files.replace(path, Json.mapper().writeValueAsBytes(content));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + path, e);
    }
  }
}
