package io.phisync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Hostile and broken input to the message reader: whatever the bytes, decoding returns an envelope
 * or throws {@link MalformedMessageException} with a reason; nothing else escapes.
 */
class HostileInputPropertiesTest {
  private static final String VALID =
      "{\"id\":\"m1\",\"type\":\"request\",\"from\":\"dc\",\"to\":\"webc\","
          + "\"timestamp\":\"2026-01-02T03:04:05Z\",\"payload\":{\"command\":\"x\",\"n\":[1,2]}}";

  /** Decodes, accepting only an envelope or a malformed-message error with a message. */
  private static void decodesOrSaysWhy(byte[] bytes) {
    try {
      assertThat(EnvelopeCodec.decode(bytes, null).id()).isNotBlank();
    } catch (MalformedMessageException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 500)
  void randomBytes_areAnEnvelopeOrAClearError(@ForAll @Size(max = 2000) byte[] bytes) {
    decodesOrSaysWhy(bytes);
  }

  @Property(tries = 300)
  void mutatedEnvelopes_areAnEnvelopeOrAClearError(
      @ForAll @IntRange(min = 0, max = 150) int at, @ForAll byte value) {
    byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
    bytes[at % bytes.length] = value;
    decodesOrSaysWhy(bytes);
  }

  @Property(tries = 200)
  void truncatedEnvelopes_areRefused(@ForAll @IntRange(min = 0, max = 1000) int cut) {
    byte[] whole = VALID.getBytes(StandardCharsets.UTF_8);
    byte[] part = Arrays.copyOf(whole, cut % whole.length);
    assertThatThrownBy(() -> EnvelopeCodec.decode(part, null))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageNotContaining("null");
  }

  @Property(tries = 50)
  void deepNesting_isRefusedWithTheLimitNamed(@ForAll("depths") int depth) {
    String payload = "[".repeat(depth) + "]".repeat(depth);
    String json = VALID.replace("[1,2]", payload);
    assertThatThrownBy(() -> EnvelopeCodec.decode(json))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("nesting depth")
        .hasMessageContaining(Integer.toString(Json.MAX_NESTING_DEPTH));
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.integers().between(Json.MAX_NESTING_DEPTH, 20_000);
  }

  @Example
  void nestingWithinTheLimit_isAccepted() {
    int depth = Json.MAX_NESTING_DEPTH - 5;
    String json = VALID.replace("[1,2]", "[".repeat(depth) + "]".repeat(depth));
    assertThat(EnvelopeCodec.decode(json).id()).isEqualTo("m1");
  }

  @Example
  void overTheSizeLimit_isRefusedBeforeParsing() {
    byte[] big = new byte[EnvelopeCodec.MAX_MESSAGE_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    assertThatThrownBy(() -> EnvelopeCodec.decode(big, null))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("over the limit of " + EnvelopeCodec.MAX_MESSAGE_BYTES);
  }

  @Property(tries = 100)
  void invalidUtf8_isRefusedNotReplaced(@ForAll("invalidUtf8") byte[] bad) {
    byte[] head = "{\"id\":\"m1\",\"payload\":{\"s\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}}".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(bad, 0, bytes, head.length, bad.length);
    System.arraycopy(tail, 0, bytes, head.length + bad.length, tail.length);
    assertThatThrownBy(() -> EnvelopeCodec.decode(bytes, null))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Provide
  Arbitrary<byte[]> invalidUtf8() {
    return Arbitraries.of(
        new byte[] {(byte) 0xC3}, // Truncated two-byte sequence.
        new byte[] {(byte) 0x80}, // Lone continuation byte.
        new byte[] {(byte) 0xC0, (byte) 0xAF}, // Overlong '/'.
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // UTF-16 surrogate.
        new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xFF});
  }

  @Property(tries = 300)
  void idsThatWouldEscapeTheirDirectory_areRefused(@ForAll("traversals") String id) {
    String json = VALID.replace("\"m1\"", Json.compact(id));
    assertThatThrownBy(() -> EnvelopeCodec.decode(json))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("message id");
  }

  @Provide
  Arbitrary<String> traversals() {
    Arbitrary<String> prefix = Arbitraries.strings().alpha().numeric().ofMaxLength(5);
    Arbitrary<String> evil =
        Arbitraries.of(
            "../", "..\\", "/", "\\", "..", "./", "%2e%2e/", "\u0000", ":", "C:\\", "~/", ".");
    return net.jqwik.api.Combinators.combine(prefix, evil, prefix).as((a, e, b) -> a + e + b);
  }

  @Property(tries = 300)
  void agentNamesThatWouldEscapeTheRoot_areRefused(@ForAll("traversals") String name) {
    assertThatThrownBy(() -> AgentName.of(name.toLowerCase(java.util.Locale.ROOT)))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("agent name");
  }

  @Property
  void namesReservedOnWindows_areRefusedAsAgentNamesAndIds(@ForAll("reserved") String name) {
    assertThatThrownBy(() -> AgentName.of(name.toLowerCase(java.util.Locale.ROOT)))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("reserved on Windows");
    assertThatThrownBy(() -> MessageId.of(name))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("reserved on Windows");
  }

  @Provide
  Arbitrary<String> reserved() {
    Arbitrary<String> base = Arbitraries.of("con", "prn", "aux", "nul");
    Arbitrary<String> numbered =
        Arbitraries.of("com", "lpt")
            .flatMap(p -> Arbitraries.integers().between(0, 9).map(n -> p + n));
    return Arbitraries.oneOf(base, numbered)
        .flatMap(
            n ->
                Arbitraries.of(true, false)
                    .map(upper -> upper ? n.toUpperCase(java.util.Locale.ROOT) : n));
  }

  @Example
  void namesThatOnlyStartLikeReservedOnes_areFine() {
    for (String name : java.util.List.of("con1", "console", "nulls", "com10", "lpt", "auxiliary")) {
      assertThat(AgentName.of(name).value()).isEqualTo(name);
    }
  }
}
