package io.phisync.protocol;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One message of file protocol v1, as the codex writes it. Only {@code id} is required on read:
 * foreign writers omit the rest (the codex's responses carry just id, correlationId and payload).
 * Unknown top-level fields are kept in {@link #extensions()} and written back, so a message passes
 * through PhiSync unchanged.
 *
 * @param id unique id, also the name the response file is built from
 * @param type request, response, event or notification
 * @param from the sending agent
 * @param to the receiving agent
 * @param timestamp when it was written, ISO-8601 with an offset
 * @param correlationId on a response, the request's id; carried through a workflow
 * @param replyTo where a response should go, if not the sender
 * @param causationId the id of the message that caused this one
 * @param expiresAt after this instant the message is not delivered but dead-lettered
 * @param priority larger is more urgent (informational in v1)
 * @param attempt the delivery attempt, set by the receiver
 * @param headers string metadata
 * @param payload the body; for a request, {@code payload.command} names the operation
 * @param extensions fields this version does not know, kept end to end
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "id",
  "type",
  "from",
  "to",
  "timestamp",
  "correlationId",
  "replyTo",
  "causationId",
  "expiresAt",
  "priority",
  "attempt",
  "headers",
  "payload"
})
public record Envelope(
    String id,
    @Nullable MessageType type,
    @Nullable String from,
    @Nullable String to,
    @Nullable OffsetDateTime timestamp,
    @Nullable String correlationId,
    @Nullable String replyTo,
    @Nullable String causationId,
    @Nullable OffsetDateTime expiresAt,
    @Nullable Integer priority,
    @Nullable Integer attempt,
    @Nullable Map<String, String> headers,
    @Nullable JsonNode payload,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extensions) {

  /**
   * @throws InvalidNameException when {@code id} is not a valid message id
   */
  public Envelope {
    Names.checkId(id);
    headers = headers == null ? null : Map.copyOf(headers);
    extensions = extensions == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extensions);
  }

  /** A builder with a new time-ordered id and the current time. */
  public static Builder builder() {
    return new Builder().id(MessageId.next()).timestamp(OffsetDateTime.now());
  }

  /** A builder holding this envelope's fields. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The id as a validated {@link MessageId}. */
  @JsonIgnore
  public MessageId messageId() {
    return new MessageId(id);
  }

  /** {@code payload.command}, if the payload is an object with a string command. */
  @JsonIgnore
  public Optional<String> command() {
    JsonNode node = payload == null ? null : payload.get("command");
    return node != null && node.isString() ? Optional.of(node.asString()) : Optional.empty();
  }

  /** Whether the envelope has an expiry that has passed at {@code now}. */
  public boolean isExpiredAt(OffsetDateTime now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  /** Builds envelopes; unset optional fields are left out of the JSON. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable MessageType type;
    private @Nullable String from;
    private @Nullable String to;
    private @Nullable OffsetDateTime timestamp;
    private @Nullable String correlationId;
    private @Nullable String replyTo;
    private @Nullable String causationId;
    private @Nullable OffsetDateTime expiresAt;
    private @Nullable Integer priority;
    private @Nullable Integer attempt;
    private @Nullable Map<String, String> headers;
    private @Nullable JsonNode payload;
    private Map<String, JsonNode> extensions = new LinkedHashMap<>();

    private Builder() {}

    private Builder(Envelope e) {
      id = e.id;
      type = e.type;
      from = e.from;
      to = e.to;
      timestamp = e.timestamp;
      correlationId = e.correlationId;
      replyTo = e.replyTo;
      causationId = e.causationId;
      expiresAt = e.expiresAt;
      priority = e.priority;
      attempt = e.attempt;
      headers = e.headers;
      payload = e.payload;
      extensions = new LinkedHashMap<>(e.extensions);
    }

    public Builder id(MessageId value) {
      id = value.value();
      return this;
    }

    public Builder type(@Nullable MessageType value) {
      type = value;
      return this;
    }

    public Builder from(@Nullable AgentName value) {
      from = value == null ? null : value.value();
      return this;
    }

    public Builder to(@Nullable AgentName value) {
      to = value == null ? null : value.value();
      return this;
    }

    public Builder timestamp(@Nullable OffsetDateTime value) {
      timestamp = value;
      return this;
    }

    public Builder correlationId(@Nullable String value) {
      correlationId = value;
      return this;
    }

    public Builder replyTo(@Nullable String value) {
      replyTo = value;
      return this;
    }

    public Builder causationId(@Nullable String value) {
      causationId = value;
      return this;
    }

    public Builder expiresAt(@Nullable OffsetDateTime value) {
      expiresAt = value;
      return this;
    }

    public Builder priority(@Nullable Integer value) {
      priority = value;
      return this;
    }

    public Builder attempt(@Nullable Integer value) {
      attempt = value;
      return this;
    }

    public Builder headers(@Nullable Map<String, String> value) {
      headers = value;
      return this;
    }

    public Builder payload(@Nullable JsonNode value) {
      payload = value;
      return this;
    }

    public Builder extension(String name, JsonNode value) {
      extensions.put(name, value);
      return this;
    }

    /**
     * @throws IllegalStateException when no id was set
     */
    public Envelope build() {
      if (id == null) {
        throw new IllegalStateException("an envelope needs an id");
      }
      return new Envelope(
          id,
          type,
          from,
          to,
          timestamp,
          correlationId,
          replyTo,
          causationId,
          expiresAt,
          priority,
          attempt,
          headers,
          payload,
          extensions);
    }
  }
}
