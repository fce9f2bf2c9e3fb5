package io.phisync.cli;

import io.phisync.protocol.ForeignText;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.databind.JsonNode;

/** Any JSON value given inline ({@code 42}, {@code '{"a":1}'}) or as {@code @FILE}. */
final class JsonValueConverter implements ITypeConverter<JsonNode> {
  @Override
  public JsonNode convert(String value) {
    String text = value.startsWith("@") ? read(Path.of(value.substring(1))) : value;
    try {
      JsonNode json = Json.parse(text);
      if (json.isMissingNode()) {
        throw new TypeConversionException("no JSON value given");
      }
      return json;
    } catch (MalformedMessageException e) {
      throw new TypeConversionException(
          e.getMessage() + " (a string value needs its quotes: '\"text\"')");
    }
  }

  private static String read(Path file) {
    try {
      return ForeignText.decode(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new TypeConversionException("no such file: " + file);
    } catch (IOException e) {
      throw new TypeConversionException("cannot read " + file + ": " + e);
    }
  }
}
