package io.phisync.protocol;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes envelopes. Writing produces UTF-8 without a byte-order mark. Reading accepts
 * everything {@link ForeignText} does, CRLF line ends, and timestamps of any precision.
 */
public final class EnvelopeCodec {
  /** Larger files are refused, never read into memory. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  private static final String EXTENSIONS_COMPONENT = "extensions";
  private static final String EXTENSIONS_FIELD = '"' + EXTENSIONS_COMPONENT + '"';

  private EnvelopeCodec() {}

  /** The JSON bytes of an envelope, UTF-8. */
  public static byte[] encode(Envelope envelope) {
    return Json.mapper().writeValueAsBytes(envelope);
  }

  /**
   * Parses an envelope.
   *
   * @throws MalformedMessageException saying why the bytes are not an envelope
   */
  public static Envelope decode(byte[] bytes) {
    return decode(bytes, null);
  }

  /**
   * Parses an envelope; a file without an {@code id} gets {@code fallbackId} (the id a codex-style
   * file name such as {@code req-<id>.json} carries).
   *
   * @throws MalformedMessageException saying why the bytes are not an envelope
   */
  public static Envelope decode(byte[] bytes, @Nullable String fallbackId) {
    if (bytes.length > MAX_MESSAGE_BYTES) {
      throw new MalformedMessageException(
          "message of " + bytes.length + " bytes is over the limit of " + MAX_MESSAGE_BYTES);
    }
    String text = ForeignText.decode(bytes);
    Envelope direct = bindDirectly(text);
    return direct != null ? direct : decodeViaTree(text, fallbackId);
  }

  /**
   * The envelope bound in one pass, when the text is an object with a valid {@code id} and no
   * top-level field named like the extensions component; null for anything else, which the tree
   * path then reads or refuses with its reason. Every message read goes through here: binding the
   * tree a second time was a tenth of a consumer's time.
   */
  private static @Nullable Envelope bindDirectly(String text) {
    if (text.isEmpty() || text.charAt(0) != '{' || text.contains(EXTENSIONS_FIELD)) {
      return null;
    }
    try {
      return Json.mapper().readValue(text, Envelope.class);
    } catch (RuntimeException e) {
      // Not JSON, a missing or bad id, wrong shapes: the tree path mends it (an id from the file
      // name) or says why, exactly as if this path did not exist.
      return null;
    }
  }

  /** Reads {@code text} as a tree first: the id a file name carries, extensions, the reasons. */
  static Envelope decodeViaTree(String text, @Nullable String fallbackId) {
    if (text.isBlank()) {
      throw new MalformedMessageException("empty file");
    }
    JsonNode tree = Json.parse(text);
    if (!tree.isObject()) {
      throw new MalformedMessageException("not a JSON object");
    }
    JsonNode id = tree.get("id");
    if ((id == null || id.isNull()) && fallbackId != null) {
      ((ObjectNode) tree).put("id", fallbackId);
    } else if (id == null || !id.isString()) {
      throw new MalformedMessageException("missing the string field 'id'");
    }
    // Jackson would bind a field named like the record component to it rather than keep it as an
    // unknown field: set it aside and put it back among the extensions.
    JsonNode named = ((ObjectNode) tree).remove(EXTENSIONS_COMPONENT);
    Envelope envelope;
    try {
      envelope = java.util.Objects.requireNonNull(Json.mapper().treeToValue(tree, Envelope.class));
    } catch (JacksonException e) {
      throw new MalformedMessageException(describe(e), e);
    }
    return named == null
        ? envelope
        : envelope.toBuilder().extension(EXTENSIONS_COMPONENT, named).build();
  }

  /** Decodes a UTF-8 string; see {@link #decode(byte[])}. */
  public static Envelope decode(String json) {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String describe(JacksonException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null
          && (cause instanceof InvalidNameException
              || cause instanceof DateTimeException
              || cause instanceof IllegalArgumentException)) {
        return message;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return "not a valid envelope: " + e.getOriginalMessage();
  }
}
