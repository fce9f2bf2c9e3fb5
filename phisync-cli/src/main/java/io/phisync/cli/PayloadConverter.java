package io.phisync.cli;

import io.phisync.protocol.ForeignText;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A JSON object given inline or as {@code @FILE} (UTF-8 or UTF-16 with a byte-order mark). */
final class PayloadConverter implements ITypeConverter<ObjectNode> {
  @Override
  public ObjectNode convert(String value) {
    String text = value.startsWith("@") ? read(Path.of(value.substring(1))) : value;
    JsonNode json;
    try {
      json = Json.parse(text);
    } catch (MalformedMessageException e) {
      throw new TypeConversionException(String.valueOf(e.getMessage()));
    }
    if (!json.isObject()) {
      throw new TypeConversionException(
          "the payload must be a JSON object, got "
              + (json.isMissingNode()
                  ? "nothing"
                  : json.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    return (ObjectNode) json;
  }

  private static String read(Path file) {
    try {
      return ForeignText.decode(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new TypeConversionException("no such payload file: " + file);
    } catch (IOException e) {
      throw new TypeConversionException("cannot read payload file " + file + ": " + e);
    }
  }
}
