package io.phisync.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the text that real foreign writers produce: UTF-8 with or without a byte-order mark,
 * UTF-16 little- or big-endian with a byte-order mark (Windows PowerShell 5's {@code Out-File}
 * default). Invalid byte sequences are an error, never silently replaced.
 */
public final class ForeignText {
  private ForeignText() {}

  /**
   * Decodes {@code bytes} to a string without its byte-order mark.
   *
   * @throws MalformedMessageException when the bytes are not valid in the detected encoding
   */
  public static String decode(byte[] bytes) {
    if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      return strict(StandardCharsets.UTF_8, bytes, 3);
    }
    if (startsWith(bytes, 0xFF, 0xFE)) {
      return strict(StandardCharsets.UTF_16LE, bytes, 2);
    }
    if (startsWith(bytes, 0xFE, 0xFF)) {
      return strict(StandardCharsets.UTF_16BE, bytes, 2);
    }
    return strict(StandardCharsets.UTF_8, bytes, 0);
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String strict(Charset charset, byte[] bytes, int offset) {
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedMessageException("not valid " + charset.name() + " text", e);
    }
  }
}
