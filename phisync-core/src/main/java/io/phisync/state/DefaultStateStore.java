package io.phisync.state;

import io.phisync.protocol.Json;
import io.phisync.protocol.StateKey;
import io.phisync.spi.LogKind;
import io.phisync.spi.Revision;
import io.phisync.spi.RevisionLog;
import io.phisync.spi.Transport;
import io.phisync.spi.Wakeup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state store over a {@link RevisionLog}. A revision record is {@code {"key", "revision",
 * "committed", "deleted", "value", "fencingToken", "highestFencingToken"}}; the highest token is
 * carried forward in every record, so pruning old revisions never forgets it.
 */
final class DefaultStateStore implements StateStore {
  private final RevisionLog log;
  private final StateOptions options;
  private final Clock clock;

  DefaultStateStore(Transport transport, StateOptions options, Clock clock) {
    this.log = transport.log(LogKind.STATE);
    this.options = options;
    this.clock = clock;
  }

  static Versioned toVersioned(Revision revision) {
    ObjectNode record = revision.record();
    JsonNode token = record.get("fencingToken");
    boolean deleted = record.path("deleted").asBoolean(false);
    return new Versioned(
        revision.key().value(),
        revision.revision(),
        deleted ? null : record.path("value"),
        token == null || token.isNull() ? null : token.asLong(),
        parseInstant(record.path("committed").asString("")));
  }

  private static Instant parseInstant(String text) {
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private static @Nullable Long highestToken(@Nullable Revision revision) {
    if (revision == null) {
      return null;
    }
    JsonNode highest = revision.record().get("highestFencingToken");
    return highest == null || highest.isNull() ? null : highest.asLong();
  }

  @Override
  public Optional<Versioned> get(String key) {
    return log.latest(StateKey.of(key))
        .map(DefaultStateStore::toVersioned)
        .filter(v -> !v.deleted());
  }

  @Override
  public Versioned put(String key, JsonNode value) {
    return committedOrThrow(key, write(key, Expect.any(), value, null), null);
  }

  @Override
  public Versioned put(String key, JsonNode value, long fencingToken) {
    return committedOrThrow(key, write(key, Expect.any(), value, fencingToken), fencingToken);
  }

  private static Versioned committedOrThrow(String key, CasResult result, @Nullable Long token) {
    if (result instanceof CasResult.Committed committed) {
      return committed.revision();
    }
    if (result instanceof CasResult.Fenced fenced) {
      throw new FencedWriteException(key, token == null ? 0 : token, fenced.highestToken());
    }
    throw new StateConflictException(key, (CasResult.Conflict) result);
  }

  @Override
  public CasResult compareAndSet(
      String key, Expect expect, JsonNode value, @Nullable Long fencingToken) {
    return write(key, expect, value, fencingToken);
  }

  @Override
  public Versioned update(String key, UnaryOperator<@Nullable JsonNode> update) {
    while (true) {
      Optional<Versioned> current = get(key);
      JsonNode next = update.apply(current.map(Versioned::value).orElse(null));
      Expect expect =
          current.isPresent() ? Expect.revision(current.get().revision()) : Expect.absent();
      CasResult result = write(key, expect, next, null);
      if (result instanceof CasResult.Committed committed) {
        return committed.revision();
      }
    }
  }

  @Override
  public CasResult delete(String key, Expect expect, @Nullable Long fencingToken) {
    return write(key, expect, null, fencingToken);
  }

  /** One compare-and-set; {@code value} null writes a tombstone. */
  private CasResult write(
      String name, Expect expect, @Nullable JsonNode value, @Nullable Long token) {
    StateKey key = StateKey.of(name);
    while (true) {
      Revision latest = log.latest(key).orElse(null);
      Versioned current = latest == null ? null : toVersioned(latest);
      if (!holds(expect, current) || (value == null && (current == null || current.deleted()))) {
        return new CasResult.Conflict(current);
      }
      Long highest = highestToken(latest);
      if (token != null && highest != null && token < highest) {
        return new CasResult.Fenced(highest, java.util.Objects.requireNonNull(current));
      }
      long revision = current == null ? 1 : current.revision() + 1;
      Instant now = clock.instant();
      ObjectNode record =
          Json.object()
              .put("key", key.value())
              .put("revision", revision)
              .put("committed", now.toString())
              .put("deleted", value == null);
      if (value != null) {
        record.set("value", value);
      }
      if (token != null) {
        record.put("fencingToken", token);
      }
      if (highest != null || token != null) {
        long a = highest == null ? Long.MIN_VALUE : highest;
        long b = token == null ? Long.MIN_VALUE : token;
        record.put("highestFencingToken", Math.max(a, b));
      }
      if (log.tryCommit(key, revision, record)) {
        refreshView(key);
        log.prune(key, options.historyLimit());
        return new CasResult.Committed(toVersioned(new Revision(key, revision, record)));
      }
      // Another writer committed this revision first: judge the expectation again.
    }
  }

  private static boolean holds(Expect expect, @Nullable Versioned current) {
    if (expect instanceof Expect.Absent) {
      return current == null || current.deleted();
    }
    if (expect instanceof Expect.AtRevision at) {
      return at.revision() == (current == null ? 0 : current.revision());
    }
    return true;
  }

  /**
   * Makes the plain file show the latest revision. Whoever writes it checks the log again after,
   * and writes again if a newer revision came meanwhile, so it never stays behind a writer that
   * finished.
   */
  private void refreshView(StateKey key) {
    while (true) {
      Revision latest = log.latest(key).orElse(null);
      if (latest == null) {
        return;
      }
      Versioned current = toVersioned(latest);
      if (current.deleted()) {
        log.deleteView(key);
      } else {
        log.writeView(key, Json.mapper().writeValueAsBytes(current.value()));
      }
      long after = log.latest(key).map(Revision::revision).orElse(0L);
      if (after == latest.revision()) {
        return;
      }
    }
  }

  @Override
  public List<Versioned> list(String prefix) {
    List<Versioned> out = new ArrayList<>();
    for (StateKey key : log.keys(prefix)) {
      if (key.firstSegment().equals("snapshots")) {
        continue;
      }
      log.latest(key)
          .map(DefaultStateStore::toVersioned)
          .filter(v -> !v.deleted())
          .ifPresent(out::add);
    }
    return out;
  }

  @Override
  public List<Versioned> history(String key, int limit) {
    StateKey k = StateKey.of(key);
    long latest = log.latest(k).map(Revision::revision).orElse(0L);
    List<Revision> all = log.from(k, Math.max(1, latest - limit + 1));
    return all.subList(Math.max(0, all.size() - limit), all.size()).stream()
        .map(DefaultStateStore::toVersioned)
        .toList();
  }

  @Override
  public StateWatch watch(String key) {
    StateKey k = StateKey.of(key);
    return watch(key, log.latest(k).map(Revision::revision).orElse(0L));
  }

  @Override
  public StateWatch watch(String key, long afterRevision) {
    StateKey k = StateKey.of(key);
    return new Watch(k, afterRevision, log.watch(k));
  }

  private final class Watch implements StateWatch {
    private final StateKey key;
    private final Wakeup wakeup;
    private long last;

    Watch(StateKey key, long last, Wakeup wakeup) {
      this.key = key;
      this.last = last;
      this.wakeup = wakeup;
    }

    @Override
    public Optional<Versioned> next(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Optional<Revision> found = nextRevision();
        if (found.isPresent()) {
          last = found.get().revision();
          wakeup.reset();
          return found.map(DefaultStateStore::toVersioned);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        wakeup.await(Duration.ofNanos(left));
      }
    }

    private Optional<Revision> nextRevision() {
      Optional<Revision> latest = log.latest(key);
      if (latest.isEmpty() || latest.get().revision() <= last) {
        return Optional.empty();
      }
      Optional<Revision> next = log.read(key, last + 1);
      return next.isPresent() ? next : log.from(key, last + 1).stream().findFirst();
    }

    @Override
    public void close() {
      wakeup.close();
    }
  }
}
