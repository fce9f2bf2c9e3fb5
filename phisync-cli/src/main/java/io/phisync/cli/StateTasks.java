package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.protocol.Json;
import io.phisync.state.CasResult;
import io.phisync.state.Expect;
import io.phisync.state.FencedWriteException;
import io.phisync.state.StateConflictException;
import io.phisync.state.StateWatch;
import io.phisync.state.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The work of {@code phisync state ...}. */
final class StateTasks {
  private final Session session;

  StateTasks(Session session) {
    this.session = session;
  }

  static ObjectNode toJson(Versioned v) {
    ObjectNode node =
        Json.object()
            .put("key", v.key())
            .put("revision", v.revision())
            .put("deleted", v.deleted())
            .put("committed", v.committed().toString());
    if (v.value() != null) {
      node.set("value", v.value());
    }
    if (v.fencingToken() != null) {
      node.put("fencingToken", v.fencingToken());
    }
    return node;
  }

  int get(String key, boolean json) {
    try (PhiSync phi = session.open()) {
      Optional<Versioned> found = phi.state().get(key);
      if (found.isEmpty()) {
        session.err().println("phisync: no value for key '" + key + "'");
        return ExitCodes.NOTHING_RECEIVED;
      }
      session.out().println(Json.compact(json ? toJson(found.get()) : found.get().valueOrThrow()));
      return ExitCodes.OK;
    }
  }

  int cas(
      String key,
      @Nullable Long revision,
      boolean absent,
      JsonNode value,
      @Nullable Long token,
      boolean json) {
    Expect expect =
        revision != null ? Expect.revision(revision) : absent ? Expect.absent() : Expect.any();
    try (PhiSync phi = session.open()) {
      CasResult result = phi.state().compareAndSet(key, expect, value, token);
      Versioned committed = committed(key, result, token);
      session.out().println(json ? Json.compact(toJson(committed)) : committed.revision());
      return ExitCodes.OK;
    }
  }

  private static Versioned committed(String key, CasResult result, @Nullable Long token) {
    if (result instanceof CasResult.Committed c) {
      return c.revision();
    }
    if (result instanceof CasResult.Fenced f) {
      throw new FencedWriteException(key, token == null ? 0 : token, f.highestToken());
    }
    throw new StateConflictException(key, (CasResult.Conflict) result);
  }

  int delete(String key, @Nullable Long revision, @Nullable Long token) {
    try (PhiSync phi = session.open()) {
      CasResult result =
          phi.state()
              .delete(key, revision == null ? Expect.any() : Expect.revision(revision), token);
      if (result instanceof CasResult.Conflict c
          && revision == null
          && (c.current() == null || c.current().deleted())) {
        session.err().println("phisync: no value for key '" + key + "'");
        return ExitCodes.NOTHING_RECEIVED;
      }
      session.out().println(committed(key, result, token).revision());
      return ExitCodes.OK;
    }
  }

  int list(String prefix, boolean json) {
    try (PhiSync phi = session.open()) {
      List<Versioned> all = phi.state().list(prefix);
      if (json) {
        ArrayNode array = Json.mapper().createArrayNode();
        all.forEach(v -> array.add(toJson(v)));
        session.out().println(Json.compact(array));
      } else {
        all.forEach(v -> session.out().println(v.key() + "\t" + v.revision()));
      }
      return ExitCodes.OK;
    }
  }

  int history(String key, int limit) {
    if (limit < 1) {
      throw CliException.usage("--limit must be at least 1, got " + limit);
    }
    try (PhiSync phi = session.open()) {
      phi.state().history(key, limit).forEach(v -> session.out().println(Json.compact(toJson(v))));
      return ExitCodes.OK;
    }
  }

  int watch(String key, @Nullable Long after, @Nullable Integer count, @Nullable Duration timeout)
      throws InterruptedException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    int seen = 0;
    try (PhiSync phi = session.open();
        StateWatch watch = after == null ? phi.state().watch(key) : phi.state().watch(key, after)) {
      while (count == null || seen < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        Optional<Versioned> next = watch.next(Duration.ofNanos(Math.min(left, 60_000_000_000L)));
        if (next.isPresent()) {
          session.out().println(Json.compact(toJson(next.get())));
          session.out().flush();
          seen++;
        }
      }
      return ExitCodes.OK;
    }
  }
}
