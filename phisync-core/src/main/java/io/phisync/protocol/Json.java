package io.phisync.protocol;

import java.time.OffsetDateTime;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of PhiSync (Jackson 3), configured for the file protocol. */
public final class Json {
  /** Deeper documents are refused: no legitimate message nests this far. */
  public static final int MAX_NESTING_DEPTH = 200;

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                  .build())
          .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          // "id": "x", as people and PowerShell write it, rather than Jackson's "id" : "x".
          .defaultPrettyPrinter(
              new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectNameValueSpacing(Separators.Spacing.AFTER)))
          .addModule(
              new SimpleModule("phisync-protocol")
                  .addDeserializer(OffsetDateTime.class, new TimestampDeserializer())
                  .addSerializer(OffsetDateTime.class, new TimestampSerializer()))
          .build();

  private Json() {}

  /** The shared, immutable mapper. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** A new empty JSON object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Parses JSON text.
   *
   * @throws MalformedMessageException saying where the text is not JSON
   */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new MalformedMessageException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Compact one-line JSON. */
  public static String compact(Object value) {
    return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
  }

  /** Indented JSON. */
  public static String pretty(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  /** ISO-8601 as Jackson's own serializer writes it, without a formatter (see Timestamps). */
  private static final class TimestampSerializer extends ValueSerializer<OffsetDateTime> {
    @Override
    public void serialize(OffsetDateTime value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeString(Timestamps.format(value));
    }
  }

  private static final class TimestampDeserializer extends ValueDeserializer<OffsetDateTime> {
    @Override
    public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) {
      return Timestamps.parse(p.getValueAsString(""));
    }
  }
}
