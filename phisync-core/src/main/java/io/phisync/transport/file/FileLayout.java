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

  /** Agents whose paths are kept, at most; beyond, paths are built on each call. */
  private static final int CACHED_AGENTS = 1024;

  private final Path root;
  // Every message sent, claimed and acknowledged resolves a few of these: building them was a
  // twentieth of a consumer's time (Path.resolve checks and copies each name).
  private final java.util.concurrent.ConcurrentHashMap<AgentName, AgentPaths> agents =
      new java.util.concurrent.ConcurrentHashMap<>();

  FileLayout(Path root) {
    this.root = root;
  }

  /** An agent's fixed directories, and its dated ones for the last day asked. */
  private static final class AgentPaths {
    final Path dir;
    final Path inbox;
    final Path claimed;
    final Path outbox;
    final Path processedIds;
    volatile @org.jspecify.annotations.Nullable Dated dated;

    AgentPaths(Path dir) {
      this.dir = dir;
      this.inbox = dir.resolve("inbox");
      this.claimed = dir.resolve("claimed");
      this.outbox = dir.resolve("outbox");
      this.processedIds = dir.resolve("processed-ids");
    }

    Dated on(LocalDate day) {
      Dated last = dated;
      if (last == null || !last.day.equals(day)) {
        String name = day.toString();
        last =
            new Dated(
                day,
                inbox.resolve("processed").resolve(name),
                outbox.resolve("taken").resolve(name));
        dated = last;
      }
      return last;
    }
  }

  private record Dated(LocalDate day, Path processed, Path taken) {}

  private AgentPaths paths(AgentName agent) {
    AgentPaths known = agents.get(agent);
    if (known != null) {
      return known;
    }
    AgentPaths made = new AgentPaths(root.resolve(agent.value()));
    if (agents.size() < CACHED_AGENTS) {
      agents.putIfAbsent(agent, made);
    }
    return made;
  }

  Path root() {
    return root;
  }

  /**
   * Where writers keep the temp files they make ahead of their next message (see
   * AtomicFiles.createNewAhead): a dot name, so no listing of the root takes it for an agent.
   */
  Path spares() {
    return root.resolve(".spares");
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
    return paths(agent).dir;
  }

  Path inbox(AgentName agent) {
    return paths(agent).inbox;
  }

  Path processedRoot(AgentName agent) {
    return inbox(agent).resolve("processed");
  }

  Path processed(AgentName agent, LocalDate day) {
    return paths(agent).on(day).processed();
  }

  Path claimed(AgentName agent) {
    return paths(agent).claimed;
  }

  Path outbox(AgentName agent) {
    return paths(agent).outbox;
  }

  Path response(AgentName agent, MessageId requestId) {
    return outbox(agent).resolve("resp-" + requestId.value() + ".json");
  }

  Path takenRoot(AgentName agent) {
    return outbox(agent).resolve("taken");
  }

  Path taken(AgentName agent, LocalDate day) {
    return paths(agent).on(day).taken();
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
    return paths(agent).processedIds;
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

  /** {@code shared/events/}: the topics, and the drop directory of foreign publishers. */
  Path events() {
    return shared().resolve("events");
  }

  Path topic(io.phisync.protocol.TopicName topic) {
    return events().resolve(topic.value());
  }

  /** An event's file: its sequence, zero-padded to 12 digits, so names sort in order. */
  Path event(io.phisync.protocol.TopicName topic, long sequence) {
    return topic(topic).resolve(number(sequence) + ".json");
  }

  Path subscriptions(AgentName agent) {
    return agentDir(agent).resolve("subscriptions");
  }

  Path cursor(AgentName agent, AgentName subscription) {
    return subscriptions(agent).resolve(subscription.value() + ".json");
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

  /**
   * A sequence number as the twelve digits of a file name ({@code 000000000042}): ASCII digits
   * whatever the locale (a {@code %012d} formats in the default one), without a formatter's cost on
   * every write.
   */
  static String number(long n) {
    if (n < 0) {
      return String.format(java.util.Locale.ROOT, "%012d", n); // Never a file's; as it was.
    }
    String digits = Long.toString(n);
    if (digits.length() >= 12) {
      return digits;
    }
    return "000000000000".substring(digits.length()) + digits;
  }
}
