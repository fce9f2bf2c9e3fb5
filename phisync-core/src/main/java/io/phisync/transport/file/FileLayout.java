package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.MessageId;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Set;

/**
 * Where each file of protocol v1 lives under a root. Every path is built from validated names only.
 * The codex's directories are kept as they are; the rest is what PhiSync adds (see
 * docs/PROTOCOL.md).
 */
final class FileLayout {
  static final int VERSION = 1;
  static final String LAYOUT_FILE = "phisync.json";

  /** Top-level names of the layout itself, which no agent may take. */
  static final Set<String> RESERVED = Set.of("shared", "dlq", "workflows", "approvals");

  private final Path root;

  FileLayout(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path layoutFile() {
    return root.resolve(LAYOUT_FILE);
  }

  static AgentName checkNotReserved(AgentName agent) {
    if (RESERVED.contains(agent.value())) {
      throw new IllegalArgumentException(
          "invalid agent name '"
              + agent
              + "': the name is reserved for the layout ("
              + String.join(", ", new java.util.TreeSet<>(RESERVED))
              + ")");
    }
    return agent;
  }

  Path agentDir(AgentName agent) {
    return root.resolve(agent.value());
  }

  Path inbox(AgentName agent) {
    return agentDir(agent).resolve("inbox");
  }

  Path processedRoot(AgentName agent) {
    return inbox(agent).resolve("processed");
  }

  Path processed(AgentName agent, LocalDate day) {
    return processedRoot(agent).resolve(day.toString());
  }

  Path claimed(AgentName agent) {
    return agentDir(agent).resolve("claimed");
  }

  Path outbox(AgentName agent) {
    return agentDir(agent).resolve("outbox");
  }

  Path response(AgentName agent, MessageId requestId) {
    return outbox(agent).resolve("resp-" + requestId.value() + ".json");
  }

  Path takenRoot(AgentName agent) {
    return outbox(agent).resolve("taken");
  }

  Path taken(AgentName agent, LocalDate day) {
    return takenRoot(agent).resolve(day.toString());
  }

  Path expiredResponses(AgentName agent) {
    return outbox(agent).resolve("expired");
  }

  Path deliveries(AgentName agent) {
    return agentDir(agent).resolve("deliveries");
  }

  Path deliveryLog(AgentName agent, MessageId id) {
    return deliveries(agent).resolve(id.value() + ".json");
  }

  Path processedIds(AgentName agent) {
    return agentDir(agent).resolve("processed-ids");
  }

  Path processedId(AgentName agent, MessageId id) {
    return processedIds(agent).resolve(id.value());
  }

  Path agentState(AgentName agent) {
    return agentDir(agent).resolve("state.json");
  }

  Path instances(AgentName agent) {
    return agentDir(agent).resolve("instances");
  }

  Path instance(AgentName agent, MessageId instanceId) {
    return instances(agent).resolve(instanceId.value() + ".json");
  }

  Path shared() {
    return root.resolve("shared");
  }

  Path dlq() {
    return root.resolve("dlq");
  }

  Path dlqArchive() {
    return dlq().resolve("archive");
  }

  Path deadLetter(String entryId) {
    return dlq().resolve(MessageId.of(entryId).value() + ".json");
  }

  /** The file name a message gets in an inbox: the codex's {@code req-<id>.json} for requests. */
  static String messageFileName(io.phisync.protocol.Envelope envelope) {
    String prefix =
        envelope.type() == io.phisync.protocol.MessageType.NOTIFICATION ? "msg-" : "req-";
    return prefix + envelope.id() + ".json";
  }

  /** The id a codex-style file name carries ({@code req-<id>.json}), if any. */
  static @org.jspecify.annotations.Nullable String idFromFileName(String fileName) {
    if (!fileName.endsWith(".json")) {
      return null;
    }
    String stem = fileName.substring(0, fileName.length() - ".json".length());
    int dash = stem.indexOf('-');
    String candidate = dash > 0 && dash <= 4 ? stem.substring(dash + 1) : stem;
    try {
      return MessageId.of(candidate).value();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether a directory entry is a message file: {@code *.json}, not a temp or hidden file. */
  static boolean isMessageFile(String fileName) {
    return fileName.endsWith(".json") && !fileName.startsWith(".");
  }
}
