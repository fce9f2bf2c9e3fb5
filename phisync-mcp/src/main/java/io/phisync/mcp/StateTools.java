package io.phisync.mcp;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.state.CasResult;
import io.phisync.state.Expect;
import io.phisync.state.FencedWriteException;
import io.phisync.state.StateStore;
import io.phisync.state.Versioned;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Shared state: versioned JSON values by key, with compare-and-set. */
final class StateTools implements ToolGroup {
  private static final String KEY =
      "The key: segments of lowercase letters, digits, '-' or '_' separated by '/', e.g."
          + " \"deploy/version\".";
  private static final String VALUE =
      "The value: any JSON (object, array, string, number, boolean).";
  private static final String TOKEN =
      "Optional: the fencing token of a lock you hold (phisync_lock_acquire); the write is refused"
          + " if the lock was granted to someone else since.";

  private final ToolContext context;

  StateTools(ToolContext context) {
    this.context = context;
  }

  @Override
  public List<Tool> tools() {
    return List.of(get(), put(), compareAndSet());
  }

  private Tool get() {
    return new Tool(
        "phisync_state_get",
        "Read the latest value of a shared state key. Returns {key, exists, revision, value,"
            + " committed}; exists is false (and value null) when the key was never written or was"
            + " deleted, with revision its last revision (0 if none). Use revision as"
            + " expectRevision in phisync_state_cas to change it safely.",
        InputSchema.object().requiredString("key", KEY),
        /* readOnly= */ true,
        args -> {
          String key = key(args);
          Optional<Versioned> latest = store().get(key);
          if (latest.isPresent()) {
            return shown(latest.get());
          }
          List<Versioned> last = store().history(key, 1);
          return Results.object()
              .put("key", key)
              .put("exists", false)
              .put("revision", last.isEmpty() ? 0 : last.get(0).revision())
              .putNull("value");
        });
  }

  private Tool put() {
    return new Tool(
        "phisync_state_put",
        "Write a shared state key whatever is there now (last writer wins). Returns {key,"
            + " revision, committed}. When others may write the same key, prefer phisync_state_cas.",
        InputSchema.object()
            .requiredString("key", KEY)
            .requiredValue("value", VALUE)
            .integer("fencingToken", TOKEN, 1, Long.MAX_VALUE),
        /* readOnly= */ false,
        args -> {
          String key = key(args);
          JsonNode value = args.requiredValue("value");
          Long token = args.integer("fencingToken", 1, Long.MAX_VALUE);
          try {
            Versioned written =
                token == null ? store().put(key, value) : store().put(key, value, token);
            return written(written);
          } catch (FencedWriteException e) {
            throw fenced(key, e.highestToken());
          }
        });
  }

  private Tool compareAndSet() {
    return new Tool(
        "phisync_state_cas",
        "Write a shared state key only if it is as you last saw it: pass expectRevision (the"
            + " revision phisync_state_get returned) or expectAbsent true (create only if it has no"
            + " value). Returns {key, revision, committed}. If someone else wrote it meanwhile, the"
            + " call fails and says the current revision and value: apply your change to that"
            + " value and call again with its revision.",
        InputSchema.object()
            .requiredString("key", KEY)
            .requiredValue("value", VALUE)
            .integer(
                "expectRevision",
                "Write only if the latest revision is exactly this (0: never written).",
                0,
                Long.MAX_VALUE)
            .bool("expectAbsent", "Write only if the key has no value (never written or deleted).")
            .integer("fencingToken", TOKEN, 1, Long.MAX_VALUE),
        /* readOnly= */ false,
        args -> {
          String key = key(args);
          JsonNode value = args.requiredValue("value");
          Long revision = args.integer("expectRevision", 0, Long.MAX_VALUE);
          boolean absent = args.flag("expectAbsent", false);
          if ((revision == null) == !absent) {
            throw new ToolError(
                "Pass exactly one of expectRevision (the revision phisync_state_get returned) or"
                    + " expectAbsent: true. To write whatever is there, use phisync_state_put.");
          }
          Expect expect = revision == null ? Expect.absent() : Expect.revision(revision);
          Long token = args.integer("fencingToken", 1, Long.MAX_VALUE);
          CasResult result = store().compareAndSet(key, expect, value, token);
          if (result instanceof CasResult.Committed committed) {
            return written(committed.revision());
          }
          if (result instanceof CasResult.Fenced fenced) {
            throw fenced(key, fenced.highestToken());
          }
          throw conflict(key, ((CasResult.Conflict) result).current());
        });
  }

  private static ToolError conflict(String key, @Nullable Versioned current) {
    String now;
    if (current == null) {
      now = "it has no value (revision 0)";
    } else if (current.deleted()) {
      now = "it was deleted at revision " + current.revision();
    } else {
      now =
          "it is at revision "
              + current.revision()
              + " with value "
              + Json.compact(current.valueOrThrow());
    }
    long revision = current == null ? 0 : current.revision();
    return new ToolError(
        "Conflict on '"
            + key
            + "': someone else wrote it; "
            + now
            + ". Nothing was written. Re-read it (phisync_state_get), apply your change to the"
            + " current value, and retry phisync_state_cas with expectRevision "
            + revision
            + ".");
  }

  private static ToolError fenced(String key, long highestToken) {
    return new ToolError(
        "Write to '"
            + key
            + "' refused: fencing token "
            + highestToken
            + " (a later lock grant) was already used for it, so your lock was lost. Nothing was"
            + " written. Take the lock again (phisync_lock_acquire), re-read, and write with the"
            + " new token.");
  }

  private static ObjectNode shown(Versioned v) {
    ObjectNode out =
        Results.object().put("key", v.key()).put("exists", true).put("revision", v.revision());
    out.set("value", v.valueOrThrow());
    return out.put("committed", v.committed().toString());
  }

  private static ObjectNode written(Versioned v) {
    return Results.object()
        .put("key", v.key())
        .put("revision", v.revision())
        .put("committed", v.committed().toString());
  }

  private static String key(Args args) {
    String key = args.string("key");
    try {
      return StateKey.of(key).value();
    } catch (IllegalArgumentException e) {
      throw new ToolError("'key': " + e.getMessage() + ". " + KEY);
    }
  }

  private StateStore store() {
    return context.phi().state();
  }
}
