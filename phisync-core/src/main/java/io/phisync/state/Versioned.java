package io.phisync.state;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One committed revision of a key.
 *
 * @param key the key
 * @param revision 1 for the first write of the key; each write, deletes included, adds one
 * @param value the value, or {@code null} when this revision deleted the key
 * @param fencingToken the token the write carried, if any
 * @param committed when the writer committed it, by the writer's clock (informative only)
 */
public record Versioned(
    String key,
    long revision,
    @Nullable JsonNode value,
    @Nullable Long fencingToken,
    Instant committed) {

  /**
   * The value.
   *
   * @throws IllegalStateException when this revision deleted the key
   */
  public JsonNode valueOrThrow() {
    if (value == null) {
      throw new IllegalStateException("revision " + revision + " of '" + key + "' deleted it");
    }
    return value;
  }

  /** Whether this revision deleted the key (a tombstone). */
  public boolean deleted() {
    return value == null;
  }
}
