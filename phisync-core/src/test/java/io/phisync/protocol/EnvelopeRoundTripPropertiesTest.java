package io.phisync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Encoding then decoding an envelope gives it back, whatever it holds. */
class EnvelopeRoundTripPropertiesTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> KNOWN_FIELDS =
      Set.of(
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
          "payload");

  @Property(tries = 300)
  void encodeThenDecode_isIdentity(@ForAll("envelopes") Envelope envelope) {
    assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(envelope))).isEqualTo(envelope);
  }

  @Property(tries = 100)
  void decode_foreignEncodings_readTheSameEnvelope(
      @ForAll("envelopes") Envelope envelope, @ForAll("foreignEncodings") String encoding) {
    String text = new String(EnvelopeCodec.encode(envelope), StandardCharsets.UTF_8);
    assertThat(EnvelopeCodec.decode(foreign(text, encoding))).isEqualTo(envelope);
  }

  @Property(tries = 200)
  void timestamp_anyPrecisionAndOffset_survivesTheRoundTrip(
      @ForAll("timestamps") OffsetDateTime timestamp) {
    Envelope envelope = Envelope.builder().timestamp(timestamp).expiresAt(timestamp).build();
    Envelope again = EnvelopeCodec.decode(EnvelopeCodec.encode(envelope));

    assertThat(again.timestamp()).isEqualTo(timestamp);
    assertThat(java.util.Objects.requireNonNull(again.timestamp()).getOffset())
        .isEqualTo(timestamp.getOffset());
    assertThat(Timestamps.parse(timestamp.toString())).isEqualTo(timestamp);
  }

  @Property(tries = 500)
  void directBinding_answersAsTheTreePathDoes(
      @ForAll("envelopes") Envelope envelope,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 12) int mutation,
      @ForAll boolean withFallbackId) {
    ObjectNode tree = (ObjectNode) Json.mapper().valueToTree(envelope);
    String text;
    switch (mutation) {
      case 1 -> tree.remove("id");
      case 2 -> tree.putNull("id");
      case 3 -> tree.put("priority", "high");
      case 4 -> tree.put("timestamp", "yesterday");
      case 5 -> tree.putObject("zz").put("nested", 1);
      case 7 -> tree.put("attempt", 1.5);
      case 8 -> tree.putArray("headers").add("x");
      case 9 -> tree.put("type", "bogus");
      case 10 -> tree.put("id", "../x");
      case 11 -> tree.putObject("extensions").put("a", 1);
      case 12 -> tree.put("payload", "just text");
      default -> {}
    }
    text = Json.mapper().writeValueAsString(tree);
    if (mutation == 6) {
      text = text + " trailing";
    } else if (mutation == 0 && withFallbackId) {
      text = "{\"id\":\"dup\"," + text.substring(1); // A duplicated key: the last one counts.
    }
    String fallback = withFallbackId ? "fromname" : null;
    String json = text;

    assertThat(outcome(() -> EnvelopeCodec.decode(json.getBytes(StandardCharsets.UTF_8), fallback)))
        .isEqualTo(outcome(() -> EnvelopeCodec.decodeViaTree(json, fallback)));
  }

  /** The envelope, or the exception's class and message. */
  private static Object outcome(java.util.function.Supplier<Envelope> decode) {
    try {
      return decode.get();
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  static byte[] foreign(String text, String encoding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String crlf = text.replace("\n", "\r\n");
    switch (encoding) {
      case "utf8-bom-crlf" -> {
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes(crlf.getBytes(StandardCharsets.UTF_8));
      }
      case "utf16le-bom" -> {
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
        out.writeBytes(crlf.getBytes(StandardCharsets.UTF_16LE));
      }
      case "utf16be-bom" -> {
        out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF});
        out.writeBytes(text.getBytes(StandardCharsets.UTF_16BE));
      }
      default -> out.writeBytes(crlf.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Provide
  Arbitrary<String> foreignEncodings() {
    return Arbitraries.of("utf8-crlf", "utf8-bom-crlf", "utf16le-bom", "utf16be-bom");
  }

  @Provide
  Arbitrary<Envelope> envelopes() {
    Arbitrary<String> optionalId = ids().injectNull(0.3);
    Arbitrary<AgentName> optionalAgent = agentNames().map(AgentName::of).injectNull(0.2);
    Arbitrary<OffsetDateTime> optionalTime = timestamps().injectNull(0.2);
    return Builders.withBuilder(Envelope::builder)
        .use(ids().map(MessageId::of))
        .in((b, v) -> b.id(v))
        .use(Arbitraries.of(MessageType.class).injectNull(0.2))
        .in((b, v) -> b.type(v))
        .use(optionalAgent)
        .in((b, v) -> b.from(v))
        .use(optionalAgent)
        .in((b, v) -> b.to(v))
        .use(optionalTime)
        .in((b, v) -> b.timestamp(v))
        .use(optionalId)
        .in((b, v) -> b.correlationId(v))
        .use(optionalId)
        .in((b, v) -> b.replyTo(v))
        .use(optionalId)
        .in((b, v) -> b.causationId(v))
        .use(optionalTime)
        .in((b, v) -> b.expiresAt(v))
        .use(Arbitraries.integers().injectNull(0.5))
        .in((b, v) -> b.priority(v))
        .use(Arbitraries.integers().between(1, 100).injectNull(0.5))
        .in((b, v) -> b.attempt(v))
        .use(headers().injectNull(0.5))
        .in((b, v) -> b.headers(v))
        .use(objects(2).map(JsonNode.class::cast).injectNull(0.2))
        .in((b, v) -> b.payload(v))
        .use(extensions())
        .in(
            (b, v) -> {
              v.forEach(b::extension);
              return b;
            })
        .build(Envelope.Builder::build)
        // The product of every field's edge cases is far too many envelopes to try.
        .withoutEdgeCases();
  }

  static Arbitrary<String> ids() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('A', 'Z')
        .withCharRange('0', '9')
        .withChars('_', '-')
        .ofMinLength(1)
        .ofMaxLength(64)
        .filter(NamesPropertiesTest::notReserved);
  }

  static Arbitrary<String> agentNames() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z');
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('_', '-')
            .ofMaxLength(31);
    return Combinators.combine(first, rest)
        .as((f, r) -> f + r)
        .filter(NamesPropertiesTest::notReserved);
  }

  @Provide
  static Arbitrary<OffsetDateTime> timestamps() {
    Arbitrary<LocalDateTime> seconds =
        Arbitraries.longs()
            .between(
                LocalDateTime.of(1970, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC),
                LocalDateTime.of(2200, 12, 31, 23, 59).toEpochSecond(ZoneOffset.UTC))
            .map(s -> LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC));
    Arbitrary<Integer> fractionDigits = Arbitraries.integers().between(0, 9);
    Arbitrary<Integer> nanos = Arbitraries.integers().between(0, 999_999_999);
    Arbitrary<ZoneOffset> offsets =
        Arbitraries.integers()
            .between(-18 * 60, 18 * 60)
            .map(m -> ZoneOffset.ofTotalSeconds(m * 60));
    return Combinators.combine(seconds, fractionDigits, nanos, offsets)
        .as(
            (time, digits, n, offset) -> {
              int scale = (int) Math.pow(10, 9 - digits);
              return OffsetDateTime.of(time.withNano(n / scale * scale), offset);
            });
  }

  static Arbitrary<Map<String, String>> headers() {
    return Arbitraries.maps(
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10),
            Arbitraries.strings().ofMaxLength(20))
        .ofMaxSize(4);
  }

  /** Unknown top-level fields, never one of the envelope's own. */
  static Arbitrary<Map<String, JsonNode>> extensions() {
    Arbitrary<String> names =
        Arbitraries.oneOf(
                Arbitraries.strings()
                    .alpha()
                    .numeric()
                    .withChars('-', '_', '.')
                    .ofMinLength(1)
                    .ofMaxLength(12),
                Arbitraries.of(
                    "x-custom", "Id", "TYPE", "eventType", "severity", "data", "extensions"))
            .filter(n -> !KNOWN_FIELDS.contains(n));
    return Arbitraries.maps(names, values(1)).ofMaxSize(4);
  }

  static Arbitrary<ObjectNode> objects(int depth) {
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), values(depth))
        .ofMaxSize(4)
        .map(
            m -> {
              ObjectNode node = NODES.objectNode();
              m.forEach(node::set);
              return node;
            });
  }

  static Arbitrary<JsonNode> values(int depth) {
    List<Arbitrary<? extends JsonNode>> leaves =
        List.of(
            Arbitraries.strings().ofMaxLength(16).map(NODES::textNode),
            Arbitraries.integers().map(NODES::numberNode),
            // JSON has one number type: Jackson reads what fits an int as an int.
            Arbitraries.longs()
                .filter(l -> l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)
                .map(NODES::numberNode),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.just(NODES.nullNode()),
            Arbitraries.doubles().between(-1e6, 1e6).map(NODES::numberNode));
    Arbitrary<JsonNode> leaf = Arbitraries.oneOf(leaves).map(JsonNode.class::cast);
    if (depth <= 0) {
      return leaf;
    }
    Arbitrary<JsonNode> array =
        leaf.list()
            .ofMaxSize(3)
            .map(
                l -> {
                  ArrayNode node = NODES.arrayNode();
                  l.forEach(node::add);
                  return node;
                });
    return Arbitraries.frequencyOf(
        Tuple.of(6, leaf),
        Tuple.of(1, array),
        Tuple.of(1, objects(depth - 1).map(JsonNode.class::cast)));
  }
}
