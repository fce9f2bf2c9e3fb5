package io.phisync.mcp;

import io.phisync.lock.Lease;
import io.phisync.lock.LockOwner;
import io.phisync.lock.LockStatus;
import io.phisync.lock.LockTimeoutException;
import io.phisync.lock.Locks;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LeaseLostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * Locks as leases with fencing tokens: acquire with a bounded wait, release, look. A lock this
 * server acquired stays held until released or until its lease runs out; nothing renews it.
 */
final class LockTools implements ToolGroup {
  private static final long MAX_WAIT = ToolContext.MAX_WAIT.toSeconds();
  private static final long DEFAULT_WAIT = 10;
  private static final long DEFAULT_LEASE = 60;
  private static final long MAX_LEASE = Duration.ofHours(1).toSeconds();
  private static final String NAME =
      "The lock's name: segments of lowercase letters, digits, '-' or '_' separated by '/', e.g."
          + " \"deploy\".";

  private final ToolContext context;

  /** The tokens of the locks this server acquired and has not released, by name. */
  private final Map<String, Long> held = new ConcurrentHashMap<>();

  LockTools(ToolContext context) {
    this.context = context;
  }

  @Override
  public List<Tool> tools() {
    return List.of(acquire(), release(), status());
  }

  private Tool acquire() {
    return new Tool(
        "phisync_lock_acquire",
        "Take a named lock, waiting up to waitSeconds (at most "
            + MAX_WAIT
            + ") while someone else holds it. Returns {name, token, leaseSeconds, leaseExpiresAt}."
            + " The lock is yours until you release it (phisync_lock_release) or until"
            + " leaseExpiresAt, after which others may take it: finish before then. Pass token as"
            + " fencingToken to phisync_state_put/phisync_state_cas so a write made after losing the"
            + " lock is refused. If it is still held after the wait, the call fails naming the"
            + " holder.",
        InputSchema.object()
            .requiredString("name", NAME)
            .seconds(
                "leaseSeconds",
                "How long the lock stays yours without being released.",
                1,
                MAX_LEASE,
                DEFAULT_LEASE)
            .seconds(
                "waitSeconds",
                "How long to wait while it is held; 0 tries once.",
                0,
                MAX_WAIT,
                DEFAULT_WAIT),
        /* readOnly= */ false,
        args -> {
          String name = name(args);
          Duration lease = args.seconds("leaseSeconds", 1, MAX_LEASE, DEFAULT_LEASE);
          Duration wait = args.seconds("waitSeconds", 0, MAX_WAIT, DEFAULT_WAIT);
          Lease got;
          try {
            got = locks().acquire(name, lease, wait);
          } catch (LockTimeoutException e) {
            throw new ToolError(
                "Lock '"
                    + name
                    + "' is still held after "
                    + wait.toSeconds()
                    + " s "
                    + holder(name, e.status())
                    + ". Do other work and try again later, or call phisync_lock_acquire with a"
                    + " longer waitSeconds (at most "
                    + MAX_WAIT
                    + ").");
          }
          LockOwner owner = got.owner();
          held.put(name, got.token());
          return Results.object()
              .put("name", name)
              .put("token", got.token())
              .put("leaseSeconds", owner.lease().toSeconds())
              .put("acquired", owner.acquired().toString())
              .put("leaseExpiresAt", owner.acquired().plus(owner.lease()).toString());
        });
  }

  private Tool release() {
    return new Tool(
        "phisync_lock_release",
        "Release a lock you took with phisync_lock_acquire, so others can take it. Returns"
            + " {released, token}. Fails if the lock is no longer yours (its lease ran out and"
            + " someone else took it).",
        InputSchema.object()
            .requiredString("name", NAME)
            .integer(
                "token",
                "The token phisync_lock_acquire returned; by default the one this server last got"
                    + " for the lock.",
                1,
                Long.MAX_VALUE),
        /* readOnly= */ false,
        args -> {
          String name = name(args);
          Long token = args.integer("token", 1, Long.MAX_VALUE);
          if (token == null) {
            token = held.get(name);
          }
          if (token == null) {
            throw new ToolError(
                "You hold no lock '"
                    + name
                    + "' through this server. Pass the token phisync_lock_acquire returned, or call"
                    + " phisync_lock_status to see who holds it.");
          }
          try {
            locks().release(name, token);
          } catch (LeaseLostException e) {
            held.remove(name, token);
            throw new ToolError(
                "Lock '"
                    + name
                    + "' with token "
                    + token
                    + " is no longer yours ("
                    + e.getMessage()
                    + "): nothing to release. If you wrote shared state under it, re-read that"
                    + " state; take the lock again with phisync_lock_acquire if you still need it.");
          }
          held.remove(name, token);
          return Results.object().put("released", name).put("token", token);
        });
  }

  private Tool status() {
    return new Tool(
        "phisync_lock_status",
        "See whether a lock is free or who holds it. Returns {name, state: \"free\" | \"held\" |"
            + " \"foreign\", owner: {ownerId, host, pid, token, acquired, leaseSeconds}, expired,"
            + " mine}; expired means the holder's lease ran out and the lock can be taken over.",
        InputSchema.object().requiredString("name", NAME),
        /* readOnly= */ true,
        args -> {
          String name = name(args);
          LockStatus status = locks().status(name);
          ObjectNode out = Results.object().put("name", name);
          if (status instanceof LockStatus.Held h) {
            out.put("state", "held");
            LockOwner o = h.owner();
            out.putObject("owner")
                .put("ownerId", o.ownerId())
                .put("host", o.host())
                .put("pid", o.pid())
                .put("token", o.token())
                .put("acquired", o.acquired().toString())
                .put("leaseSeconds", o.lease().toSeconds());
            return out.put("expired", h.expired()).put("mine", mine(name, o));
          }
          if (status instanceof LockStatus.Foreign f) {
            return out.put("state", "foreign")
                .put("content", f.content())
                .put("expired", f.expired())
                .put("mine", false);
          }
          return out.put("state", "free");
        });
  }

  /** Who holds the lock, for an error text. */
  private String holder(String name, LockStatus status) {
    if (status instanceof LockStatus.Held h) {
      LockOwner o = h.owner();
      if (mine(name, o)) {
        return "by you (this server, token "
            + o.token()
            + "): release it with phisync_lock_release first, or go on using it";
      }
      return "by "
          + o.ownerId()
          + " (pid "
          + o.pid()
          + " on "
          + o.host()
          + ", token "
          + o.token()
          + ", lease "
          + o.lease().toSeconds()
          + " s)";
    }
    if (status instanceof LockStatus.Foreign) {
      return "by a lock file another program created";
    }
    return "(it is free now: just call again)";
  }

  /** Whether {@code owner} is a grant this server got and has not released. */
  private boolean mine(String name, LockOwner owner) {
    Long token = held.get(name);
    return token != null && token == owner.token() && owner.pid() == ProcessHandle.current().pid();
  }

  private static String name(Args args) {
    String name = args.string("name");
    try {
      return StateKey.of(name).value();
    } catch (IllegalArgumentException e) {
      throw new ToolError("'name': " + e.getMessage() + ". " + NAME);
    }
  }

  private Locks locks() {
    return context.phi().locks();
  }
}
