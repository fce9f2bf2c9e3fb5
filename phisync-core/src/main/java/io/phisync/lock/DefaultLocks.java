package io.phisync.lock;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LeaseLostException;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import io.phisync.spi.RevisionLog;
import io.phisync.spi.Transport;
import io.phisync.spi.Wakeup;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Locks over a {@link RevisionLog}: each grant, renewal and release of a lock is the lock's next
 * revision, committed by compare-and-set, and a grant's fencing token is the revision number that
 * granted it, so tokens only grow. The view ({@code shared/locks/<name>.lock}) holds the holder's
 * owner record while it holds the lock, for scripts that look for the codex's lock files.
 */
final class DefaultLocks implements Locks {
  static final String HOST = hostName();
  private static final String MARKER = "phisync-lock";
  private static final int KEPT_GRANTS = 10;
  private static final Duration MAX_PAUSE = Duration.ofMillis(200);

  private final RevisionLog log;
  private final LockOptions options;

  /** What this observer saw of each lock, and since when (by its ticker). */
  private final ConcurrentHashMap<String, Observation> observed = new ConcurrentHashMap<>();

  private record Observation(String fingerprint, long since) {}

  DefaultLocks(Transport transport, LockOptions options) {
    this.log = transport.log(LogKind.LOCKS);
    this.options = options;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  @Override
  public Lease acquire(String name, Duration lease, Duration wait) throws InterruptedException {
    StateKey key = StateKey.of(name);
    long deadline = options.ticker().read() + wait.toNanos();
    try (Wakeup wakeup = log.watch(key)) {
      while (true) {
        Optional<Lease> got = tryAcquire(key, lease);
        if (got.isPresent()) {
          return got.get();
        }
        long left = deadline - options.ticker().read();
        if (left <= 0) {
          throw new LockTimeoutException(name, status(name));
        }
        // Expiry is judged by time, not by events: wake up now and then even without one.
        wakeup.await(Duration.ofNanos(Math.min(left, MAX_PAUSE.toNanos())));
      }
    }
  }

  @Override
  public Optional<Lease> tryAcquire(String name, Duration lease) {
    return tryAcquire(StateKey.of(name), lease);
  }

  private Optional<Lease> tryAcquire(StateKey key, Duration lease) {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("a lease must be positive, got " + lease);
    }
    Revision latest = log.latest(key).orElse(null);
    if (latest != null && isHeld(latest) && !expired(key, latest)) {
      return Optional.empty();
    }
    byte[] view = log.view(key).orElse(null);
    if (view != null && !isOurView(view)) {
      if (!expiredForeign(key, view)) {
        return Optional.empty();
      }
      removeForeign(key, view);
    }
    long token = latest == null ? 1 : latest.revision() + 1;
    LockOwner owner =
        new LockOwner(
            options.ownerId(),
            HOST,
            ProcessHandle.current().pid(),
            options.clock().instant(),
            token,
            lease);
    if (!log.tryCommit(key, token, grantRecord(key, token, "held", owner))) {
      return Optional.empty(); // Someone else took it first.
    }
    log.prune(key, KEPT_GRANTS);
    Grant grant = new Grant(key, owner, token);
    if (!putUpView(key, owner)) {
      grant.close(); // A foreign script took the lock file meanwhile: step back.
      return Optional.empty();
    }
    return Optional.of(grant);
  }

  /** Writes the view for a new grant, removing one left by an earlier PhiSync grant. */
  private boolean putUpView(StateKey key, LockOwner owner) {
    byte[] bytes = viewBytes(owner);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (log.createView(key, bytes)) {
        return true;
      }
      byte[] existing = log.view(key).orElse(null);
      if (existing != null && !isOurView(existing)) {
        return false;
      }
      if (existing != null && parse(existing).path("token").asLong(0) < owner.token()) {
        log.deleteView(key);
      }
    }
    return false;
  }

  private static boolean isHeld(Revision revision) {
    return "held".equals(revision.record().path("state").asString(""));
  }

  private boolean expired(StateKey key, Revision latest) {
    long leaseNanos = latest.record().path("leaseMillis").asLong(0) * 1_000_000L;
    return seenUnchangedFor(key, "grant-" + latest.revision()) > leaseNanos;
  }

  private boolean expiredForeign(StateKey key, byte[] view) {
    return seenUnchangedFor(key, "foreign-" + Arrays.hashCode(view) + "-" + view.length)
        > options.foreignLease().toNanos();
  }

  /** How long this observer has seen {@code fingerprint} as the lock's state, by its ticker. */
  private long seenUnchangedFor(StateKey key, String fingerprint) {
    long now = options.ticker().read();
    Observation seen =
        observed.compute(
            key.value(),
            (k, old) ->
                old != null && old.fingerprint().equals(fingerprint)
                    ? old
                    : new Observation(fingerprint, now));
    return now - seen.since();
  }

  private void removeForeign(StateKey key, byte[] view) {
    byte[] again = log.view(key).orElse(null);
    if (again != null && Arrays.equals(again, view)) {
      log.deleteView(key);
    }
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return Json.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException notJson) {
      return Json.object();
    }
  }

  private static boolean isOurView(byte[] bytes) {
    return MARKER.equals(parse(bytes).path("kind").asString(""));
  }

  private static byte[] viewBytes(LockOwner owner) {
    ObjectNode view = Json.object().put("kind", MARKER);
    putOwner(view, owner);
    return Json.mapper().writeValueAsBytes(view);
  }

  private static void putOwner(ObjectNode node, LockOwner owner) {
    node.put("ownerId", owner.ownerId())
        .put("host", owner.host())
        .put("pid", owner.pid())
        .put("acquired", owner.acquired().toString())
        .put("token", owner.token())
        .put("leaseMillis", owner.lease().toMillis());
  }

  private ObjectNode grantRecord(StateKey key, long revision, String state, LockOwner owner) {
    ObjectNode record =
        Json.object()
            .put("lock", key.value())
            .put("revision", revision)
            .put("state", state)
            .put("at", options.clock().instant().toString());
    putOwner(record, owner);
    return record;
  }

  private static LockOwner ownerOf(ObjectNode record) {
    Instant acquired;
    try {
      acquired = Instant.parse(record.path("acquired").asString(""));
    } catch (java.time.format.DateTimeParseException e) {
      acquired = Instant.EPOCH;
    }
    return new LockOwner(
        record.path("ownerId").asString(""),
        record.path("host").asString(""),
        record.path("pid").asLong(0),
        acquired,
        record.path("token").asLong(0),
        Duration.ofMillis(record.path("leaseMillis").asLong(0)));
  }

  @Override
  public void release(String name, long token) {
    StateKey key = StateKey.of(name);
    Revision latest = log.latest(key).orElse(null);
    if (latest == null || !isHeld(latest) || latest.record().path("token").asLong(0) != token) {
      throw new LeaseLostException(
          "lock '" + name + "' is not held with token " + token + " (" + status(name) + ")");
    }
    new Grant(key, ownerOf(latest.record()), latest.revision()).release();
  }

  @Override
  public LockStatus status(String name) {
    StateKey key = StateKey.of(name);
    Revision latest = log.latest(key).orElse(null);
    if (latest != null && isHeld(latest)) {
      return new LockStatus.Held(ownerOf(latest.record()), expired(key, latest));
    }
    byte[] view = log.view(key).orElse(null);
    if (view != null && !isOurView(view)) {
      return new LockStatus.Foreign(
          new String(view, StandardCharsets.UTF_8), expiredForeign(key, view));
    }
    return new LockStatus.Free();
  }

  @Override
  public List<String> names() {
    return log.keys("").stream().map(StateKey::value).toList();
  }

  /** A grant this process holds; tracks the revision it last committed. */
  private final class Grant implements Lease {
    private final StateKey key;
    private final LockOwner owner;
    private long revision;
    private boolean released;

    Grant(StateKey key, LockOwner owner, long revision) {
      this.key = key;
      this.owner = owner;
      this.revision = revision;
    }

    @Override
    public String name() {
      return key.value();
    }

    @Override
    public long token() {
      return owner.token();
    }

    @Override
    public LockOwner owner() {
      return owner;
    }

    @Override
    public void renew() {
      commitNext("held");
    }

    @Override
    public void release() {
      commitNext("released");
      released = true;
      byte[] view = log.view(key).orElse(null);
      if (view != null && isOurView(view) && parse(view).path("token").asLong(0) == token()) {
        log.deleteView(key);
      }
    }

    private void commitNext(String state) {
      if (released) {
        throw new LeaseLostException("lock '" + key + "' was released already");
      }
      if (!log.tryCommit(key, revision + 1, grantRecord(key, revision + 1, state, owner))) {
        @Nullable Revision now = log.latest(key).orElse(null);
        throw new LeaseLostException(
            "lock '"
                + key
                + "' (token "
                + token()
                + ") was taken over"
                + (now == null
                    ? ""
                    : " by "
                        + ownerOf(now.record()).ownerId()
                        + " (token "
                        + ownerOf(now.record()).token()
                        + ")"));
      }
      revision++;
      log.prune(key, KEPT_GRANTS);
    }

    @Override
    public void close() {
      if (!released) {
        try {
          release();
        } catch (LeaseLostException alreadyLost) {
          released = true;
        }
      }
    }
  }
}
