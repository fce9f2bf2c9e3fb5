package io.phisync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

  private static final String CODEX_REQUEST =
      "{\r\n  \"id\": \"3f2504e0-4f89-11d3-9a0c-0305e82c3301\",\r\n"
          + "  \"timestamp\": \"2025-11-15T10:30:00.1234567-05:00\",\r\n"
          + "  \"from\": \"dc\",\r\n  \"to\": \"webc\",\r\n  \"type\": \"request\",\r\n"
          + "  \"payload\": {\"command\": \"research\", \"topic\": \"OAuth2\"},\r\n"
          + "  \"x-custom\": {\"kept\": true}\r\n}\r\n";

  @Test
  void decode_codexRequestWithCrlfAndSevenDigitFraction_readsEveryField() {
    Envelope e = EnvelopeCodec.decode(CODEX_REQUEST);

    assertThat(e.id()).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    assertThat(e.type()).isEqualTo(MessageType.REQUEST);
    assertThat(e.timestamp()).isEqualTo(OffsetDateTime.parse("2025-11-15T10:30:00.1234567-05:00"));
    assertThat(e.command()).contains("research");
    assertThat(e.extensions()).containsKey("x-custom");
  }

  @Test
  void roundTrip_keepsUnknownFieldsAndOffset() {
    Envelope e = EnvelopeCodec.decode(CODEX_REQUEST);
    Envelope again = EnvelopeCodec.decode(EnvelopeCodec.encode(e));

    assertThat(again).isEqualTo(e);
    String json = new String(EnvelopeCodec.encode(e), StandardCharsets.UTF_8);
    assertThat(json).contains("\"x-custom\"").contains("-05:00");
  }

  @Test
  void decode_utf16LittleEndianWithBom() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xFE);
    out.writeBytes(CODEX_REQUEST.getBytes(StandardCharsets.UTF_16LE));

    assertThat(EnvelopeCodec.decode(out.toByteArray()).from()).isEqualTo("dc");
  }

  @Test
  void decode_missingIdWithFallback_takesIdFromFileName() {
    Envelope e = EnvelopeCodec.decode("{\"payload\":{}}".getBytes(StandardCharsets.UTF_8), "abc");
    assertThat(e.id()).isEqualTo("abc");
  }

  @Test
  void decode_truncated_saysNotJson() {
    assertThatThrownBy(() -> EnvelopeCodec.decode("{\"id\": \"a\", \"pay"))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void decode_pathTraversalId_namesTheRule() {
    assertThatThrownBy(() -> EnvelopeCodec.decode("{\"id\": \"../../etc\"}"))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("message id is 1 to 64 characters");
  }

  @Test
  void decode_unknownFieldNamedExtensions_isKeptAsAnyOtherUnknownField() {
    Envelope e =
        EnvelopeCodec.decode("{\"id\": \"a\", \"extensions\": \"\", \"x\": {\"extensions\": 1}}");

    assertThat(e.extensions()).containsOnlyKeys("extensions", "x");
    assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(e))).isEqualTo(e);
    Envelope empty = EnvelopeCodec.decode("{\"id\": \"a\", \"extensions\": {}}");
    assertThat(empty.extensions()).containsOnlyKeys("extensions");
    assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(empty))).isEqualTo(empty);
  }
}
