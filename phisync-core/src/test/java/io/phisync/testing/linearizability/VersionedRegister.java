package io.phisync.testing.linearizability;

import io.phisync.protocol.Json;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The model of a compare-and-set store, one register per key: a value and a revision (0: absent)
 * that every successful write increments. A read answers the revision and value; a write answers
 * the new revision; a CAS succeeds only at its expected revision and answers the new revision, or
 * fails and answers the current one.
 */
public final class VersionedRegister
    implements Model<VersionedRegister.State, VersionedRegister.Input, VersionedRegister.Output> {
  /** The model (stateless; one instance serves every check). */
  public static final VersionedRegister MODEL = new VersionedRegister();

  private VersionedRegister() {}

  /** A register: its revision and value; revision 0 has no value. */
  public record State(long revision, @Nullable String value) {}

  /** An operation on one key. */
  public sealed interface Input {
    String key();
  }

  public record Read(String key) implements Input {}

  public record Write(String key, String value) implements Input {}

  public record Cas(String key, long expectedRevision, String value) implements Input {}

  /**
   * What an operation answered: whether it succeeded (reads and writes always do), the revision
   * (after a success, the new one; after a failed CAS, the current one) and, for a read, the value.
   */
  public record Output(boolean ok, long revision, @Nullable String value) {
    public static Output read(long revision, @Nullable String value) {
      return new Output(true, revision, value);
    }

    public static Output written(long revision) {
      return new Output(true, revision, null);
    }

    public static Output conflict(long current) {
      return new Output(false, current, null);
    }
  }

  @Override
  public State initial() {
    return new State(0, null);
  }

  @Override
  public Object key(Input input) {
    return input.key();
  }

  @Override
  public Optional<State> step(State s, Input input, @Nullable Output out) {
    if (input instanceof Read) {
      return out == null
              || (out.revision() == s.revision() && Objects.equals(out.value(), s.value()))
          ? Optional.of(s)
          : Optional.empty();
    }
    if (input instanceof Write w) {
      State next = new State(s.revision() + 1, w.value());
      return out == null || (out.ok() && out.revision() == next.revision())
          ? Optional.of(next)
          : Optional.empty();
    }
    Cas cas = (Cas) input;
    if (cas.expectedRevision() == s.revision()) {
      State next = new State(s.revision() + 1, cas.value());
      return out == null || (out.ok() && out.revision() == next.revision())
          ? Optional.of(next)
          : Optional.empty();
    }
    return out == null || (!out.ok() && out.revision() == s.revision())
        ? Optional.of(s)
        : Optional.empty();
  }

  /** The input as a JSON object, for {@link HistoryRecorder}. */
  public static JsonNode toJson(Input input) {
    ObjectNode node = Json.object().put("key", input.key());
    if (input instanceof Read) {
      node.put("op", "read");
    } else if (input instanceof Write w) {
      node.put("op", "write").put("value", w.value());
    } else {
      Cas c = (Cas) input;
      node.put("op", "cas").put("expected", c.expectedRevision()).put("value", c.value());
    }
    return node;
  }

  /** The output as a JSON object, for {@link HistoryRecorder}. */
  public static JsonNode toJson(Output out) {
    ObjectNode node = Json.object().put("ok", out.ok()).put("revision", out.revision());
    if (out.value() != null) {
      node.put("value", out.value());
    }
    return node;
  }

  /** Reads an input written by {@link #toJson(Input)}. */
  public static Input input(JsonNode node) {
    String key = node.get("key").asString();
    return switch (node.get("op").asString()) {
      case "read" -> new Read(key);
      case "write" -> new Write(key, node.get("value").asString());
      case "cas" -> new Cas(key, node.get("expected").asLong(), node.get("value").asString());
      default -> throw new IllegalArgumentException("unknown op in " + node);
    };
  }

  /** Reads an output written by {@link #toJson(Output)}. */
  public static Output output(JsonNode node) {
    JsonNode value = node.get("value");
    return new Output(
        node.get("ok").asBoolean(),
        node.get("revision").asLong(),
        value == null || value.isNull() ? null : value.asString());
  }
}
