package io.phisync.transport.file;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.protocol.MessageId;
import io.phisync.spi.AgentRecord;
import io.phisync.spi.AgentRegistry;
import io.phisync.spi.Claim;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.DeadLetterStore;
import io.phisync.spi.DeliveryRecord;
import io.phisync.spi.DuplicateMessageException;
import io.phisync.spi.Durability;
import io.phisync.spi.InboxStats;
import io.phisync.spi.LeaseLostException;
import io.phisync.spi.NackOutcome;
import io.phisync.spi.PreparedMessage;
import io.phisync.spi.TraceEntry;
import io.phisync.spi.Transport;
import io.phisync.spi.UnknownAgentException;
import io.phisync.spi.Wakeup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The transport over a shared directory, file protocol v1 (docs/PROTOCOL.md).
 *
 * <p>A consumer claims a message by renaming {@code <agent>/inbox/<file>} to {@code
 * <agent>/claimed/<token>~<file>}: a rename succeeds for exactly one of several competing
 * consumers. The claimed file's modification time is set to the end of its lease. A claim whose
 * lease has passed is taken over by renaming it to a hidden working name (again, one winner), its
 * failed delivery is recorded, and it goes back to the inbox or to the dead letters.
 *
 * <p>This class is thread-safe, and safe with other processes using the same root.
 */
public final class FileTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(FileTransport.class);
  private static final String CLAIM_SEPARATOR = "~";
  private static final String WORKING_SUFFIX = ".work";
  private static final Duration ABANDONED_WORK = Duration.ofMinutes(1);

  private final FileTransportConfig config;
  private final FileLayout layout;
  private final AtomicFiles files;
  private final DeliveryLog deliveries;
  private final DeadLetterFiles deadLetters;
  private final Wakeups wakeups;
  private final FileEventLog events;
  private final ConcurrentHashMap<io.phisync.spi.LogKind, FileRevisionLog> logs =
      new ConcurrentHashMap<>();
  private final AgentFiles agentFiles;
  private final ReplicaFiles replicas;

  /**
   * Young files that did not parse yet, by path: skipped until they change or grow old. A file
   * given back keeps the lease time it was stamped with, so the time it was written is kept here.
   */
  private final java.util.Set<AgentName> knownAgents = ConcurrentHashMap.newKeySet();

  private final ConcurrentHashMap<AgentName, Queue<String>> candidates = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<Path, Unparsed> unparsed = new ConcurrentHashMap<>();

  /** A file given back unparsed: its modification time then, and when it was written. */
  private record Unparsed(FileTime seen, FileTime written) {}

  private FileTransport(FileTransportConfig config) {
    this.config = config;
    this.layout = new FileLayout(config.root());
    this.files = new AtomicFiles(config.durability());
    this.deliveries = new DeliveryLog(layout, files);
    this.deadLetters = new DeadLetterFiles(layout, files, deliveries, this::enqueue);
    this.wakeups = new Wakeups(config);
    this.events = new FileEventLog(config, layout, files, deadLetters, wakeups, this::agents);
    this.agentFiles = new AgentFiles(layout, files);
    this.replicas = new ReplicaFiles(layout, files, config.clock());
  }

  /**
   * Opens the root described by {@code config}; nothing is created until {@link #initialize}.
   *
   * @throws IllegalStateException when the root is on a network share whose file system breaks
   *     exclusive create or atomic rename
   */
  public static FileTransport open(FileTransportConfig config) {
    Path root = config.root();
    if (Files.isDirectory(root) && Wakeups.isNetworkShare(root)) {
      RootProbe.check(root); // Local disks are probed by initialize; shares on every open.
    }
    return new FileTransport(config);
  }

  /** The root directory. */
  public Path root() {
    return layout.root();
  }

  @Override
  public String describe() {
    return "files at "
        + layout.root()
        + " ("
        + config.durability().name().toLowerCase(java.util.Locale.ROOT)
        + " writes, "
        + wakeups.describe(layout.root())
        + ")";
  }

  @Override
  public void initialize(Collection<AgentName> agents) {
    agents.forEach(FileLayout::checkNotReserved);
    Dirs.create(layout.root());
    RootProbe.check(layout.root());
    for (AgentName agent : agents) {
      Dirs.create(layout.processedRoot(agent));
      Dirs.create(layout.outbox(agent));
      Dirs.create(layout.claimed(agent));
      writeIfAbsent(
          layout.agentState(agent),
          Json.object()
              .put("agent", agent.value())
              .put("status", "initialized")
              .put("lastUpdate", now().toString()));
    }
    for (String dir : List.of("events", "state/snapshots", "locks", "streams")) {
      Dirs.create(layout.shared().resolve(dir));
    }
    Dirs.create(layout.dlqArchive());
    writeIfAbsent(
        layout.layoutFile(),
        Json.object().put("layout", FileLayout.VERSION).put("protocol", "phisync-files"));
  }

  private void writeIfAbsent(Path path, JsonNode content) {
    try {
      files.createNew(path, Json.mapper().writeValueAsBytes(content));
    } catch (FileAlreadyExistsException e) {
      // Kept as it is: initialize is idempotent.
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + path, e);
    }
  }

  @Override
  public SortedSet<AgentName> agents() {
    SortedSet<AgentName> agents = new TreeSet<>();
    for (Path dir : Dirs.subdirectories(layout.root())) {
      String name = dir.getFileName().toString();
      if (FileLayout.RESERVED.contains(name) || !Files.isDirectory(dir.resolve("inbox"))) {
        continue;
      }
      try {
        agents.add(AgentName.of(name));
      } catch (IllegalArgumentException notAnAgent) {
        // Some other directory under the root.
      }
    }
    return agents;
  }

  @Override
  public boolean hasAgent(AgentName agent) {
    return !FileLayout.RESERVED.contains(agent.value()) && Files.isDirectory(layout.inbox(agent));
  }

  private void requireAgent(AgentName agent) {
    // Agents are never removed by PhiSync: one that was there stays known to this process, which
    // saves a stat per operation. A removed agent's directory then fails the operation itself.
    if (knownAgents.contains(agent)) {
      return;
    }
    if (hasAgent(agent)) {
      knownAgents.add(agent);
    } else {
      SortedSet<AgentName> known = agents();
      throw new UnknownAgentException(
          "unknown agent '"
              + agent
              + "' under "
              + layout.root()
              + (known.isEmpty()
                  ? " (no agents: run 'phisync init' first)"
                  : " (known: "
                      + String.join(", ", known.stream().map(AgentName::value).toList())
                      + ")")
              + "; create it with 'phisync init --agents "
              + agent
              + "'");
    }
  }

  @Override
  public void enqueue(AgentName to, Envelope message) {
    requireAgent(to);
    Path target = layout.inbox(to).resolve(FileLayout.messageFileName(message));
    try {
      files.createNewAhead(target, EnvelopeCodec.encode(message), layout.spares());
      CrashPoints.reach("enqueue.written");
    } catch (FileAlreadyExistsException e) {
      throw duplicate(to, message);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
  }

  private static DuplicateMessageException duplicate(AgentName to, Envelope message) {
    return new DuplicateMessageException(
        "a message with id " + message.id() + " is already in the inbox of " + to);
  }

  @Override
  public Durability durability() {
    return config.durability();
  }

  @Override
  public PreparedMessage prepare(AgentName to, Envelope message) {
    requireAgent(to);
    Path target = layout.inbox(to).resolve(FileLayout.messageFileName(message));
    AtomicFiles.Pending pending;
    try {
      pending = files.prepareAhead(target, EnvelopeCodec.encode(message), layout.spares());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
    return new PreparedMessage() {
      @Override
      public void publish() {
        try {
          pending.publish(false);
          CrashPoints.reach("enqueue.written");
        } catch (FileAlreadyExistsException e) {
          throw duplicate(to, message);
        } catch (IOException e) {
          throw new UncheckedIOException("could not write " + target, e);
        }
      }

      @Override
      public void close() {
        try {
          pending.close();
        } catch (IOException e) {
          LOG.debug("could not remove the temp file of {}: {}", target, e.toString());
        }
      }
    };
  }

  // ---------------------------------------------------------------- claims

  @Override
  public Optional<Claim> claim(AgentName agent, String consumer, Duration lease) {
    requireAgent(agent);
    Path inbox = layout.inbox(agent);
    // Names from the last listing, shared by this process's consumers of the agent: a backlog
    // of n messages costs one listing, not n. A stale name costs one failed stat.
    Queue<String> queue = candidates.computeIfAbsent(agent, a -> new ConcurrentLinkedQueue<>());
    boolean listed = false;
    while (true) {
      String name = queue.poll();
      if (name == null) {
        if (listed) {
          return Optional.empty();
        }
        queue.addAll(Dirs.messages(inbox));
        listed = true;
        continue;
      }
      Optional<Claim> claim = tryClaim(agent, inbox.resolve(name), consumer, lease);
      if (claim.isPresent()) {
        return claim;
      }
    }
  }

  private Optional<Claim> tryClaim(AgentName agent, Path source, String consumer, Duration lease) {
    String name = source.getFileName().toString();
    // One lstat answers both questions: is it a plain file, and when was it written.
    BasicFileAttributes attributes = Entries.attributes(source);
    if (attributes == null) {
      return Optional.empty(); // Another consumer took it.
    }
    if (!attributes.isRegularFile()) {
      return quarantine(agent, source); // Never stamp, read or follow what is not a plain file.
    }
    FileTime modified = attributes.lastModifiedTime();
    FileTime written = modified;
    Unparsed seen = unparsed.get(source);
    if (seen != null && seen.seen().equals(modified)) {
      if (isYoung(seen.written())) {
        return Optional.empty(); // Unchanged since it did not parse; its writer may be at work.
      }
      written = seen.written();
    }
    String token = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    Path target = layout.claimed(agent).resolve(token + CLAIM_SEPARATOR + name);
    // The lease is stamped before the rename: a file in claimed/ never shows a time that has
    // passed, or a concurrent recoverExpired would take a claim that was just made.
    Instant expires = config.clock().instant().plus(lease);
    if (!trySetModified(source, expires) || !tryClaimRename(source, target)) {
      return Optional.empty(); // Another consumer won, or a foreign writer still holds the file.
    }
    CrashPoints.reach("claim.renamed");
    if (!config.clock().instant().isBefore(expires)) {
      // Stalled (SIGSTOP, a long GC) past the lease between stamping and renaming: the claim is
      // already expired, so another consumer may take the message over at any moment. Handing it
      // out would let two consumers handle one attempt; lease recovery gives it out again instead.
      return Optional.empty();
    }
    return open(agent, name, target, consumer, expires, written);
  }

  /**
   * An inbox entry that is not a regular file: a directory is left where it is; anything else (a
   * symbolic link, a FIFO) is taken by rename, one winner, and dead-lettered with its reason,
   * without being followed or opened.
   */
  private Optional<Claim> quarantine(AgentName agent, Path source) {
    String reason = Entries.whyNotAMessage(source);
    if (reason == null || Entries.isDirectory(source)) {
      return Optional.empty();
    }
    String name = source.getFileName().toString();
    String token = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    Path target = layout.claimed(agent).resolve(token + CLAIM_SEPARATOR + name);
    if (tryRename(source, target)) {
      deadLetterFile(
          agent, target, source, new byte[0], FileLayout.idFromFileName(name), reason, List.of());
    }
    return Optional.empty();
  }

  private Optional<Claim> open(
      AgentName agent,
      String name,
      Path claimed,
      String consumer,
      Instant expires,
      FileTime written) {
    byte[] bytes;
    BasicFileAttributes attributes = Entries.attributes(claimed);
    if (attributes == null) {
      return Optional.empty();
    }
    String notAMessage =
        attributes.isRegularFile() || attributes.isDirectory()
            ? null
            : Entries.whyNotAMessage(claimed); // Swapped in before our rename?
    if (notAMessage != null) {
      deadLetterFile(
          agent,
          claimed,
          layout.inbox(agent).resolve(name),
          new byte[0],
          FileLayout.idFromFileName(name),
          notAMessage,
          List.of());
      return Optional.empty();
    }
    try {
      // Another consumer may have stamped its own lease between our stamp and our rename; the
      // lstat above shows whether the file still carries ours.
      FileTime lease = FileTime.from(expires);
      if (!attributes.lastModifiedTime().equals(lease)) {
        AtomicFiles.stamp(claimed, lease);
      }
      long size = attributes.size();
      if (size > EnvelopeCodec.MAX_MESSAGE_BYTES) {
        unparsed.remove(layout.inbox(agent).resolve(name));
        deadLetters.writeOversize(
            agent,
            layout.inbox(agent).resolve(name),
            claimed,
            size,
            now(),
            FileLayout.idFromFileName(name));
        return Optional.empty();
      }
      bytes = readBounded(claimed, size); // Grown over the limit since: the decoder refuses it.
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read claimed message " + claimed, e);
    }
    Envelope envelope;
    try {
      envelope = EnvelopeCodec.decode(bytes, FileLayout.idFromFileName(name));
    } catch (MalformedMessageException | IllegalArgumentException e) {
      Path original = layout.inbox(agent).resolve(name);
      if (isYoung(written)) {
        // Perhaps a foreign writer is not done yet: give it back and look again later. It keeps
        // its lease time, so no recoverExpired takes it for an expired claim on the way back.
        Path back = renameBack(claimed, original);
        FileTime now = modified(back);
        if (now != null) {
          unparsed.put(back, new Unparsed(now, written));
        }
        return Optional.empty();
      }
      unparsed.remove(original);
      deadLetterFile(
          agent,
          claimed,
          original,
          bytes,
          FileLayout.idFromFileName(name),
          "malformed message: " + e.getMessage(),
          List.of());
      return Optional.empty();
    }
    unparsed.remove(layout.inbox(agent).resolve(name));
    CrashPoints.reach("claim.read");
    int attempt = deliveries.history(agent, envelope.messageId()).size() + 1;
    // The attempt is numbered from the delivery log. Lease recovery takes a claim over (renames
    // it) before it appends to that log, so a claim still in place after the read was numbered
    // before any recovery of it: no other consumer gets this number. A consumer stalled past its
    // lease before the read may instead see a recovery's record and number the delivery as the
    // next consumer will; it hands nothing out, and the claim, if still there, is recovered.
    if (!config.clock().instant().isBefore(expires)
        || !Files.exists(claimed, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(
        new Claim(
            agent,
            envelope.toBuilder().attempt(attempt).build(),
            attempt,
            consumer,
            expires,
            claimed.getFileName().toString()));
  }

  private static byte[] readLimited(Path path) throws IOException {
    long size = Files.size(path);
    if (size > EnvelopeCodec.MAX_MESSAGE_BYTES) {
      throw new IOException(
          path + " is " + size + " bytes, over the limit of " + EnvelopeCodec.MAX_MESSAGE_BYTES);
    }
    return readBounded(path);
  }

  /**
   * At most one byte over the limit, read without a stat first (the caller knows the size), so a
   * longer result means the file is over the limit.
   */
  private static byte[] readBounded(Path path) throws IOException {
    // O_NOFOLLOW: a file swapped for a link after the checks above is refused, not followed.
    try (java.io.InputStream in =
        Files.newInputStream(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return in.readNBytes(EnvelopeCodec.MAX_MESSAGE_BYTES + 1);
    }
  }

  /**
   * Reads a file the lstat said has {@code size} bytes, with one read of up to {@code size + 1}
   * bytes: a short read of a regular file is its end, and a longer file shows in the length (it
   * grew since; past the limit, the decoder refuses it). A stream would read twice, the second time
   * to see the end.
   */
  static byte[] readBounded(Path path, long size) throws IOException {
    int capacity = (int) Math.min(size + 1, EnvelopeCodec.MAX_MESSAGE_BYTES + 1L);
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(capacity);
    // O_NOFOLLOW: a file swapped for a link after the checks above is refused, not followed.
    try (java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(
            path, java.nio.file.StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      do {
        if (channel.read(buffer) < 0) {
          break; // Shorter than it was: what is there is what a decoder judges.
        }
      } while (buffer.position() < size && buffer.hasRemaining());
      if (!buffer.hasRemaining()) {
        // Longer than the lstat said: it grew since; read on up to the limit.
        return grown(channel, buffer);
      }
    }
    return java.util.Arrays.copyOf(buffer.array(), buffer.position());
  }

  private static byte[] grown(java.nio.channels.FileChannel channel, java.nio.ByteBuffer head)
      throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(head.capacity() * 2);
    out.write(head.array(), 0, head.position());
    java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(8192);
    while (out.size() <= EnvelopeCodec.MAX_MESSAGE_BYTES && channel.read(chunk) >= 0) {
      out.write(chunk.array(), 0, chunk.position());
      chunk.clear();
    }
    byte[] all = out.toByteArray();
    return all.length > EnvelopeCodec.MAX_MESSAGE_BYTES + 1
        ? java.util.Arrays.copyOf(all, EnvelopeCodec.MAX_MESSAGE_BYTES + 1)
        : all;
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

  /** Sets a file's time; false when the file is gone or held by another process. */
  private static boolean trySetModified(Path path, Instant time) {
    try {
      AtomicFiles.stamp(path, FileTime.from(time));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (FileSystemException e) {
      LOG.debug("could not stamp {}: {}", path, e.toString()); // Held by a writer on Windows.
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not set the time of " + path, e);
    }
  }

  private boolean tryRename(Path source, Path target) {
    return tryRename(source, target, true);
  }

  /**
   * A claim's rename is not forced to disk even in durable mode: a machine crash that undoes it
   * puts the message back in the inbox, to be delivered again, which at-least-once delivery allows;
   * forcing it would cost two directory syncs per message for nothing that can be lost.
   */
  private boolean tryClaimRename(Path source, Path target) {
    return tryRename(source, target, false);
  }

  private boolean tryRename(Path source, Path target, boolean forced) {
    try {
      if (forced) {
        files.move(source, target);
      } else {
        files.rename(source, target);
      }
      return true;
    } catch (NoSuchFileException | AccessDeniedException e) {
      return false;
    } catch (FileSystemException e) {
      LOG.debug("could not claim {}: {}", source, e.toString());
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not claim " + source, e);
    }
  }

  private Path renameBack(Path claimed, Path original) {
    try {
      return moveNoReplace(
          claimed, AtomicFiles.parent(original), original.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not return " + claimed + " to the inbox", e);
    }
  }

  @Override
  public Optional<Claim> findClaim(AgentName agent, MessageId id) {
    requireAgent(agent);
    Path dir = layout.claimed(agent);
    for (String name : Dirs.messages(dir)) {
      int separator = name.indexOf(CLAIM_SEPARATOR);
      if (separator < 0) {
        continue;
      }
      Path path = dir.resolve(name);
      String original = name.substring(separator + 1);
      String fromName = FileLayout.idFromFileName(original);
      if (fromName != null && !fromName.equals(id.value()) && original.startsWith("req-")) {
        continue; // Cheap filter for PhiSync's and the codex's own names.
      }
      try {
        byte[] bytes = readLimited(path);
        Envelope envelope = EnvelopeCodec.decode(bytes, fromName);
        if (!envelope.id().equals(id.value())) {
          continue;
        }
        Instant expires = Files.getLastModifiedTime(path).toInstant();
        int attempt = deliveries.history(agent, id).size() + 1;
        return Optional.of(
            new Claim(
                agent,
                envelope.toBuilder().attempt(attempt).build(),
                attempt,
                "unknown",
                expires,
                name));
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException | RuntimeException e) {
        LOG.debug("skipping {} while looking for claim {}: {}", path, id, e.toString());
      }
    }
    return Optional.empty();
  }

  @Override
  public java.util.Set<MessageId> claimedAmong(AgentName agent, Collection<MessageId> ids) {
    requireAgent(agent);
    java.util.Set<MessageId> out = new java.util.HashSet<>();
    if (ids.isEmpty()) {
      return out;
    }
    java.util.Map<String, MessageId> wanted = new java.util.HashMap<>();
    ids.forEach(id -> wanted.put(id.value(), id));
    Path dir = layout.claimed(agent);
    for (String name : Dirs.messages(dir)) {
      int separator = name.indexOf(CLAIM_SEPARATOR);
      if (separator < 0) {
        continue;
      }
      String original = name.substring(separator + 1);
      String fromName = FileLayout.idFromFileName(original);
      if (fromName != null && original.startsWith("req-")) {
        MessageId id = wanted.get(fromName);
        if (id != null) {
          out.add(id); // PhiSync's own names carry the id.
        }
        continue;
      }
      try {
        String id = EnvelopeCodec.decode(readLimited(dir.resolve(name)), fromName).id();
        if (wanted.containsKey(id)) {
          out.add(wanted.get(id));
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("skipping {} while looking for claims: {}", name, e.toString());
      }
    }
    return out;
  }

  @Override
  public java.util.Set<MessageId> respondedAmong(
      AgentName responder, Collection<MessageId> requestIds) {
    requireAgent(responder);
    java.util.Set<MessageId> out = new java.util.HashSet<>();
    if (requestIds.isEmpty()) {
      return out;
    }
    java.util.Map<String, MessageId> wanted = new java.util.HashMap<>();
    requestIds.forEach(id -> wanted.put("resp-" + id.value() + ".json", id));
    for (String name : Dirs.messages(layout.outbox(responder))) {
      MessageId id = wanted.get(name);
      if (id != null) {
        out.add(id);
      }
    }
    return out;
  }

  @Override
  public Claim renew(Claim claim, Duration lease) {
    Path path = claimedPath(claim);
    Instant expires = config.clock().instant().plus(lease);
    try {
      Files.setLastModifiedTime(path, FileTime.from(expires));
    } catch (NoSuchFileException e) {
      throw leaseLost(claim);
    } catch (IOException e) {
      throw new UncheckedIOException("could not renew the lease of " + path, e);
    }
    return new Claim(
        claim.agent(),
        claim.envelope(),
        claim.attempt(),
        claim.consumer(),
        expires,
        claim.handle());
  }

  @Override
  public void ack(Claim claim) {
    ackAll(List.of(claim));
  }

  /**
   * Acknowledges every claim with one group commit: each id is recorded and each copy kept (links
   * made), then the directories they went into are forced once for all of them, and only then are
   * the claimed names unlinked. In durable mode the forces of the two directories (the ids' and the
   * kept copies') run at once, so a whole batch costs about one journal commit. The unlinks are not
   * forced: a machine crash that undoes one brings back a claim whose id is on disk as processed,
   * and lease recovery then finishes that ack ({@link #finishAck}); a crash before them leaves the
   * claims whole.
   *
   * <p>A claim that cannot be acknowledged (a lost lease) leaves the others acknowledged; its
   * failure is thrown after them, any later ones suppressed in it.
   */
  @Override
  public void ackAll(Collection<Claim> claims) {
    List<Linked> linked = new ArrayList<>(claims.size());
    Set<Kept> forced = new LinkedHashSet<>(2);
    RuntimeException failure = null;
    for (Claim claim : claims) {
      try {
        Linked one = link(claim);
        if (one != null) {
          linked.add(one);
          forced.add(one.kept);
        }
      } catch (RuntimeException e) {
        failure = firstOf(failure, e);
      }
    }
    if (!linked.isEmpty()) {
      CrashPoints.reach("ack.linked");
      try {
        for (Kept kept : forced) { // One pair, unless the day turned or the agents differ.
          files.syncDirectories(kept.dir, kept.markers);
        }
      } catch (RuntimeException e) {
        throw failure == null ? e : firstOf(e, failure); // No claim unlinked: nothing is lost.
      }
    }
    for (Linked one : linked) {
      // False when the lease ran out since the link and the claim was taken over: its taker finds
      // the id recorded and this copy kept, and removes its name (finishAck). The ack stands.
      try {
        AtomicFiles.delete(one.claimed);
      } catch (IOException e) {
        failure =
            firstOf(failure, new UncheckedIOException("could not acknowledge " + one.claimed, e));
        continue;
      }
      finished(one.claim);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** A claim whose id is recorded and whose copy is linked, neither forced yet. */
  private record Linked(Claim claim, Path claimed, Kept kept) {}

  /** The directories an ack links into: the day's kept copies and the ids. */
  private record Kept(Path dir, Path markers) {}

  /**
   * The first half of an ack: the id recorded, then the copy linked into the day's processed
   * directory. Null when links are not supported, and the copy was moved and forced instead.
   */
  private @Nullable Linked link(Claim claim) {
    Path path = claimedPath(claim);
    Path markers = markProcessed(claim, path);
    CrashPoints.reach("ack.markedProcessed");
    Path dir = layout.processed(claim.agent(), today());
    try {
      try {
        linkKept(path, dir, originalName(claim.handle()));
      } catch (UnsupportedOperationException e) {
        // No links: the marker was forced itself.
        moveNoReplace(path, dir, originalName(claim.handle()), Force.TARGET);
        finished(claim);
        return null;
      }
    } catch (NoSuchFileException e) {
      throw leaseLost(claim);
    } catch (IOException e) {
      throw new UncheckedIOException("could not acknowledge " + path, e);
    }
    return new Linked(claim, path, new Kept(dir, markers));
  }

  private void finished(Claim claim) {
    CrashPoints.reach("ack.moved");
    if (claim.attempt() > 1) {
      // A first attempt found no log, and only the claim's holder writes one (lease recovery
      // takes the claim over first, and then this ack could not have moved it).
      deliveries.clear(claim.agent(), claim.envelope().messageId());
    }
  }

  private static RuntimeException firstOf(@Nullable RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /**
   * Records the claim's id in {@code processed-ids/} as a hard link to the claimed file: only the
   * name counts, and a link allocates no inode, which makes it the cheapest exclusive create there
   * is. Where links are not supported, an empty file. A claim that is gone is a lost lease. Returns
   * the directory of the record, which {@link #ackAll} forces.
   */
  private Path markProcessed(Claim claim, Path claimed) {
    MessageId id = claim.envelope().messageId();
    Path marker = layout.processedId(claim.agent(), id);
    try {
      try {
        linkMarker(marker, claimed);
      } catch (NoSuchFileException e) {
        if (!Files.exists(claimed, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          throw leaseLost(claim);
        }
        Dirs.create(AtomicFiles.parent(marker)); // The first of its directory, or pruned.
        linkMarker(marker, claimed);
      }
    } catch (FileAlreadyExistsException e) {
      // Already recorded.
    } catch (NoSuchFileException e) {
      throw leaseLost(claim);
    } catch (IOException e) {
      throw new UncheckedIOException("could not record processed id " + id, e);
    }
    return AtomicFiles.parent(marker);
  }

  /** A hard link, forced with the kept copy; or an empty file, forced on its own. */
  private void linkMarker(Path marker, Path claimed) throws IOException {
    try {
      Files.createLink(marker, claimed);
    } catch (UnsupportedOperationException e) {
      files.createEmpty(marker);
    }
  }

  /**
   * Links {@code claimed} into {@code dir} under {@code name} or a variant of it, making the
   * directory on demand. A name that is this very file already (kept by an earlier ack of it whose
   * record of the id a machine crash undid) is left as it is.
   */
  private void linkKept(Path claimed, Path dir, String name) throws IOException {
    int n = 0;
    boolean made = false;
    while (true) {
      Path target = dir.resolve(n == 0 ? name : variant(name, n));
      try {
        Files.createLink(target, claimed);
        return;
      } catch (FileAlreadyExistsException e) {
        if (Files.isSameFile(target, claimed)) {
          return;
        }
        n++;
      } catch (NoSuchFileException e) {
        // The claim is gone (a lost lease), or the directory is not there yet (a new day's).
        if (made || !Files.exists(claimed, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          throw e;
        }
        Dirs.create(dir);
        made = true;
      }
    }
  }

  @Override
  public boolean isProcessed(AgentName agent, MessageId id) {
    return Files.exists(layout.processedId(agent, id));
  }

  @Override
  public NackOutcome nack(Claim claim, String reason, int maxAttempts) {
    Path working = takeOver(claimedPath(claim)).orElseThrow(() -> leaseLost(claim));
    CrashPoints.reach("nack.takenOver");
    return fail(
        claim.agent(),
        working,
        originalName(claim.handle()),
        claim.envelope().messageId(),
        new DeliveryRecord(claim.attempt(), now(), claim.consumer(), "nack", reason),
        maxAttempts);
  }

  @Override
  public DeadLetter deadLetter(Claim claim, String reason) {
    Path working = takeOver(claimedPath(claim)).orElseThrow(() -> leaseLost(claim));
    byte[] bytes = readOrEmpty(working);
    List<DeliveryRecord> history = deliveries.history(claim.agent(), claim.envelope().messageId());
    DeadLetter letter =
        deadLetterFile(
            claim.agent(),
            working,
            layout.inbox(claim.agent()).resolve(originalName(claim.handle())),
            bytes,
            claim.envelope().id(),
            reason,
            history);
    deliveries.clear(claim.agent(), claim.envelope().messageId());
    return letter;
  }

  @Override
  public int recoverExpired(AgentName agent, int maxAttempts) {
    requireAgent(agent);
    Path dir = layout.claimed(agent);
    int moved = 0;
    Instant now = config.clock().instant();
    for (String name : Dirs.names(dir, n -> true)) {
      Path path = dir.resolve(name);
      FileTime modified = modified(path);
      if (modified == null) {
        continue;
      }
      boolean claimExpired =
          !name.startsWith(".")
              && name.contains(CLAIM_SEPARATOR)
              && modified.toInstant().isBefore(now);
      // A working file's time is when its taker may be presumed dead (see takeOver).
      boolean abandonedWork =
          name.startsWith(".")
              && name.endsWith(WORKING_SUFFIX)
              && modified.toInstant().isBefore(now);
      if (!claimExpired && !abandonedWork) {
        continue;
      }
      Optional<Path> working = takeOver(path);
      if (working.isEmpty()) {
        continue;
      }
      String original = originalName(stripWorking(name));
      byte[] bytes = readOrEmpty(working.get());
      String id = idOf(bytes, original);
      MessageId recorded = id == null ? null : MessageId.of(id);
      if (recorded != null && isProcessed(agent, recorded)) {
        finishAck(agent, working.get(), original, recorded);
        continue;
      }
      if (id == null) {
        deadLetterFile(
            agent,
            working.get(),
            layout.inbox(agent).resolve(original),
            bytes,
            null,
            "malformed message found in an expired claim",
            List.of());
      } else {
        int attempt = deliveries.history(agent, MessageId.of(id)).size() + 1;
        fail(
            agent,
            working.get(),
            original,
            MessageId.of(id),
            new DeliveryRecord(
                attempt,
                now(),
                "unknown",
                "lease-expired",
                "the consumer's lease ran out before it acknowledged the message"),
            maxAttempts);
      }
      moved++;
    }
    return moved;
  }

  /**
   * A claim whose id is recorded as processed: an ack stopped between recording the id and moving
   * the file (a crash), or one whose unforced unlink a machine crash undid. Finished as that ack
   * would have: moved to {@code processed/<day>/}, its delivery log cleared; not delivered again,
   * and never dead-lettered for attempts it used up before it was acknowledged.
   */
  private void finishAck(AgentName agent, Path working, String original, MessageId id) {
    Path dir = layout.processed(agent, today());
    Path kept = dir.resolve(original);
    try {
      if (Files.exists(kept, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          && Files.isSameFile(kept, working)) {
        Files.delete(working); // The ack's move was kept and only its unlink undone.
      } else {
        moveNoReplace(working, dir, original);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not finish the acknowledgement of " + working, e);
    }
    deliveries.clear(agent, id);
    LOG.info(
        "finished the acknowledgement of {} of {}: its id was recorded as processed", id, agent);
  }

  private NackOutcome fail(
      AgentName agent,
      Path working,
      String originalName,
      MessageId id,
      DeliveryRecord record,
      int maxAttempts) {
    List<DeliveryRecord> history = deliveries.append(agent, id, record);
    CrashPoints.reach("fail.recorded");
    Path inboxCopy = layout.inbox(agent).resolve(originalName);
    if (history.size() >= maxAttempts) {
      deadLetterFile(
          agent,
          working,
          inboxCopy,
          readOrEmpty(working),
          id.value(),
          "failed "
              + history.size()
              + " of "
              + maxAttempts
              + " attempts; last: "
              + record.outcome()
              + (record.reason() == null ? "" : ": " + record.reason()),
          history);
      deliveries.clear(agent, id);
      return NackOutcome.DEAD_LETTERED;
    }
    try {
      moveNoReplace(working, layout.inbox(agent), originalName);
    } catch (IOException e) {
      throw new UncheckedIOException("could not return " + working + " to the inbox", e);
    }
    return NackOutcome.REQUEUED;
  }

  private @Nullable String idOf(byte[] bytes, String name) {
    try {
      return EnvelopeCodec.decode(bytes, FileLayout.idFromFileName(name)).id();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Renames a claimed file to a hidden working name; empty when someone else got it first. The file
   * is first stamped with the time after which its taker is presumed dead, so that neither the
   * claim nor the working file ever looks expired or abandoned while it is being worked on.
   */
  private Optional<Path> takeOver(Path path) {
    String name = stripWorking(path.getFileName().toString());
    String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
    Path working = path.resolveSibling("." + token + "." + name + WORKING_SUFFIX);
    if (!trySetModified(path, config.clock().instant().plus(ABANDONED_WORK))
        || !tryRename(path, working)) {
      return Optional.empty();
    }
    return Optional.of(working);
  }

  /** {@code .<token>.<claimName>.work} back to {@code <claimName>}. */
  private static String stripWorking(String name) {
    if (name.startsWith(".") && name.endsWith(WORKING_SUFFIX)) {
      String inner = name.substring(1, name.length() - WORKING_SUFFIX.length());
      int dot = inner.indexOf('.');
      return dot < 0 ? inner : inner.substring(dot + 1);
    }
    return name;
  }

  /** {@code <token>~<file>} to {@code <file>}. */
  private static String originalName(String claimName) {
    int separator = claimName.indexOf(CLAIM_SEPARATOR);
    return separator < 0 ? claimName : claimName.substring(separator + 1);
  }

  private Path claimedPath(Claim claim) {
    String handle = claim.handle();
    if (handle.contains("/") || handle.contains("\\") || handle.startsWith(".")) {
      throw new IllegalArgumentException("not a claim handle: " + handle);
    }
    return layout.claimed(claim.agent()).resolve(handle);
  }

  private static LeaseLostException leaseLost(Claim claim) {
    return new LeaseLostException(
        "message "
            + claim.envelope().id()
            + " of "
            + claim.agent()
            + " is no longer claimed by this consumer: its lease ran out and it was delivered"
            + " again or dead-lettered");
  }

  private DeadLetter deadLetterFile(
      AgentName agent,
      Path file,
      Path source,
      byte[] bytes,
      @Nullable String messageId,
      String reason,
      List<DeliveryRecord> history) {
    DeadLetter letter = deadLetters.write(agent, messageId, reason, now(), source, bytes, history);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove dead-lettered " + file, e);
    }
    return letter;
  }

  private static byte[] readOrEmpty(Path path) {
    try {
      return readLimited(path);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /**
   * Moves {@code source} into {@code dir} under {@code name}, or a variant of it when the name is
   * taken: never replaces a file. Returns the new path.
   */
  private Path moveNoReplace(Path source, Path dir, String name) throws IOException {
    return moveNoReplace(source, dir, name, Force.BOTH);
  }

  /** Which directories of a move durable mode forces. */
  private enum Force {
    /** Neither: a move a machine crash may undo without losing anything. */
    NONE,
    /** Only the one moved into: undoing the removal from the source is harmless. */
    TARGET,
    BOTH
  }

  /**
   * As {@link #moveNoReplace(Path, Path, String)}, forcing the directories {@code forced} names:
   * {@link Force#NONE} for a move a machine crash may undo without losing anything (a response
   * taken: it is then taken again, or expires).
   */
  private Path moveNoReplace(Path source, Path dir, String name, Force forced) throws IOException {
    try {
      return linkNoReplace(source, dir, name, forced);
    } catch (NoSuchFileException e) {
      // The source is gone, or the directory is not there yet (a new day's, say): directories
      // are made on demand, so the common case costs no stat.
      if (!Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
      Dirs.create(dir);
      return linkNoReplace(source, dir, name, forced);
    }
  }

  private Path linkNoReplace(Path source, Path dir, String name, Force forced) throws IOException {
    for (int n = 0; ; n++) {
      Path target = dir.resolve(n == 0 ? name : variant(name, n));
      try {
        Files.createLink(target, source);
      } catch (FileAlreadyExistsException e) {
        continue;
      } catch (UnsupportedOperationException e) {
        Dirs.create(dir);
        if (Files.exists(target)) {
          continue;
        }
        files.move(source, target);
        return target;
      }
      CrashPoints.reach("move.linked");
      if (!AtomicFiles.delete(source)) {
        // Someone else moved the source away first: the move is theirs, not ours.
        Files.deleteIfExists(target);
        throw new NoSuchFileException(source.toString());
      }
      if (forced != Force.NONE) {
        files.syncDirectory(dir);
      }
      if (forced == Force.BOTH) {
        files.syncDirectory(AtomicFiles.parent(source));
      }
      return target;
    }
  }

  private static String variant(String name, int n) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name + "." + n : name.substring(0, dot) + ".dup" + n + name.substring(dot);
  }

  // ------------------------------------------------------------- responses

  @Override
  public void respond(AgentName responder, Envelope response) {
    requireAgent(responder);
    String correlation = response.correlationId();
    if (correlation == null) {
      throw new IllegalArgumentException("a response needs the request's id as correlationId");
    }
    Path target = layout.response(responder, MessageId.of(correlation));
    try {
      files.createNewAhead(target, EnvelopeCodec.encode(response), layout.spares());
    } catch (FileAlreadyExistsException e) {
      throw new DuplicateMessageException(
          "a response to " + correlation + " is already in the outbox of " + responder);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
  }

  @Override
  public Optional<Envelope> takeResponse(AgentName responder, MessageId requestId) {
    requireAgent(responder);
    Path path = layout.response(responder, requestId);
    byte[] bytes;
    FileTime written;
    if (!path.toFile().exists()) {
      return Optional.empty(); // The usual answer while waiting: one stat, no exception.
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      written = attributes.lastModifiedTime();
      if (attributes.size() > EnvelopeCodec.MAX_MESSAGE_BYTES) {
        bytes = readLimited(path); // Refuses it with the size in the message.
      } else {
        bytes = readBounded(path);
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    }
    Envelope response;
    try {
      response = EnvelopeCodec.decode(bytes, null);
    } catch (MalformedMessageException | IllegalArgumentException e) {
      if (isYoung(written)) {
        return Optional.empty(); // A foreign responder may still be writing it.
      }
      DeadLetter letter =
          deadLetterFile(
              responder,
              path,
              path,
              bytes,
              requestId.value(),
              "malformed response: " + e.getMessage(),
              List.of());
      throw new MalformedMessageException(
          "the response to "
              + requestId
              + " was malformed ("
              + e.getMessage()
              + "); it is dead letter "
              + letter.entryId());
    }
    try {
      // Not forced: a machine crash that undoes it leaves the response to be taken again.
      moveNoReplace(
          path, layout.taken(responder, today()), path.getFileName().toString(), Force.NONE);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // Another requester took it.
    } catch (IOException e) {
      throw new UncheckedIOException("could not take " + path, e);
    }
    return Optional.of(response);
  }

  @Override
  public boolean removeResponse(AgentName responder, MessageId requestId) {
    requireAgent(responder);
    Path path = layout.response(responder, requestId);
    try {
      // Kept with the taken ones, as takeResponse does; not forced for the same reason.
      moveNoReplace(
          path, layout.taken(responder, today()), path.getFileName().toString(), Force.NONE);
      return true;
    } catch (NoSuchFileException e) {
      return false; // Not there, or another requester took it.
    } catch (IOException e) {
      throw new UncheckedIOException("could not take " + path, e);
    }
  }

  @Override
  public Optional<Envelope> peekResponse(AgentName responder, MessageId requestId) {
    requireAgent(responder);
    Path path = layout.response(responder, requestId);
    Optional<Envelope> found = peek(path);
    if (found.isPresent()) {
      return found;
    }
    // Taken responses are kept by day: today's and yesterday's are looked at, by name (a stat
    // each, no listing), which covers a requester that journals and then takes at once.
    String name = path.getFileName().toString();
    LocalDate today = today();
    for (LocalDate day : List.of(today, today.minusDays(1))) {
      found = peek(layout.taken(responder, day).resolve(name));
      if (found.isPresent()) {
        return found;
      }
    }
    return peek(layout.expiredResponses(responder).resolve(name));
  }

  /** The response in {@code path}; empty when absent or (young and) not yet whole. */
  private Optional<Envelope> peek(Path path) {
    if (!path.toFile().exists()) {
      return Optional.empty();
    }
    byte[] bytes;
    FileTime written;
    try {
      written = Files.getLastModifiedTime(path);
      bytes = readLimited(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    }
    try {
      return Optional.of(EnvelopeCodec.decode(bytes, null));
    } catch (MalformedMessageException | IllegalArgumentException e) {
      if (isYoung(written)) {
        return Optional.empty(); // A foreign responder may still be writing it.
      }
      throw new MalformedMessageException(
          "the response in " + path + " is malformed: " + e.getMessage());
    }
  }

  @Override
  public int sweepResponses(AgentName responder) {
    requireAgent(responder);
    int moved = 0;
    OffsetDateTime cutoff = now().minus(config.malformedGrace());
    Path outbox = layout.outbox(responder);
    for (String name : Dirs.messages(outbox)) {
      Path path = outbox.resolve(name);
      try {
        Envelope response = EnvelopeCodec.decode(readLimited(path), null);
        if (response.isExpiredAt(cutoff)) {
          moveNoReplace(path, layout.expiredResponses(responder), name);
          moved++;
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("not sweeping {}: {}", path, e.toString());
      }
    }
    return moved;
  }

  // ------------------------------------------------------------ inspection

  @Override
  public Wakeup watchInbox(AgentName agent) {
    requireAgent(agent);
    return wakeups.watchArrivals(layout.inbox(agent));
  }

  @Override
  public Wakeup watchOutbox(AgentName agent) {
    requireAgent(agent);
    return wakeups.watchArrivals(layout.outbox(agent));
  }

  @Override
  public Wakeup watchAll(
      java.util.Collection<AgentName> outboxes,
      io.phisync.spi.LogKind kind,
      java.util.Collection<io.phisync.protocol.StateKey> keys) {
    List<Path> dirs = new ArrayList<>();
    for (AgentName agent : outboxes) {
      requireAgent(agent);
      dirs.add(layout.outbox(agent));
    }
    FileRevisionLog log = (FileRevisionLog) log(kind);
    for (io.phisync.protocol.StateKey key : keys) {
      dirs.add(log.directory(key));
    }
    // Arrivals only: the engine takes its responses away itself, and journal entries stay.
    return wakeups.watchAllArrivals(dirs);
  }

  @Override
  public List<Envelope> pending(AgentName agent) {
    requireAgent(agent);
    List<Envelope> out = new ArrayList<>();
    for (String name : Dirs.messages(layout.inbox(agent))) {
      try {
        out.add(
            EnvelopeCodec.decode(
                readLimited(layout.inbox(agent).resolve(name)), FileLayout.idFromFileName(name)));
      } catch (IOException | RuntimeException e) {
        LOG.debug("not listing {}: {}", name, e.toString());
      }
    }
    return out;
  }

  @Override
  public InboxStats stats(AgentName agent) {
    requireAgent(agent);
    return new InboxStats(
        Dirs.messages(layout.inbox(agent)).size(),
        Dirs.names(layout.claimed(agent), n -> n.contains(CLAIM_SEPARATOR)).size());
  }

  @Override
  public DeadLetterStore deadLetters() {
    return deadLetters;
  }

  @Override
  public List<TraceEntry> trace(String id) {
    return new Tracer(layout).trace(id, agents());
  }

  @Override
  public AgentRegistry agentRegistry() {
    return agentFiles;
  }

  @Override
  public Optional<AgentRecord> agentRecord(AgentName agent) {
    Path path = layout.agentState(agent);
    try {
      JsonNode json = Json.parse(io.phisync.protocol.ForeignText.decode(readLimited(path)));
      String status = json.path("status").isString() ? json.get("status").asString() : null;
      OffsetDateTime beat = timestamp(json, "lastHeartbeat");
      if (beat == null) {
        beat = timestamp(json, "lastUpdate");
      }
      return Optional.of(new AgentRecord(status, beat, json));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.debug("unreadable agent state {}: {}", path, e.toString());
      return Optional.empty();
    }
  }

  private static @Nullable OffsetDateTime timestamp(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || !node.isString()) {
      return null;
    }
    try {
      return io.phisync.protocol.Timestamps.parse(node.asString());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(config.clock());
  }

  private LocalDate today() {
    return LocalDate.now(config.clock());
  }

  /** Removes dedup markers older than the retention; returns how many. */
  public int sweepProcessedIds(AgentName agent) {
    Instant cutoff = config.clock().instant().minus(config.processedIdRetention());
    int removed = 0;
    Path dir = layout.processedIds(agent);
    for (String name : Dirs.names(dir, n -> !n.startsWith("."))) {
      Path marker = dir.resolve(name);
      try {
        BasicFileAttributes attrs = Files.readAttributes(marker, BasicFileAttributes.class);
        if (attrs.lastModifiedTime().toInstant().isBefore(cutoff) && Files.deleteIfExists(marker)) {
          removed++;
        }
      } catch (IOException e) {
        LOG.debug("not sweeping {}: {}", marker, e.toString());
      }
    }
    return removed;
  }

  @Override
  public io.phisync.spi.EventLog events() {
    return events;
  }

  @Override
  public io.phisync.spi.RevisionLog log(io.phisync.spi.LogKind kind) {
    return logs.computeIfAbsent(kind, k -> FileRevisionLog.of(k, layout, files, wakeups));
  }

  @Override
  public io.phisync.spi.SnapshotStore snapshots() {
    return new FileSnapshots(layout, files);
  }

  @Override
  public io.phisync.spi.ReplicaStore replicas() {
    return replicas;
  }

  @Override
  public io.phisync.spi.ApprovalStore approvals() {
    return new FileApprovalStore(layout, files, wakeups);
  }

  @Override
  public void close() {
    wakeups.close();
    files.close();
  }
}
