package io.phisync.cli;

import io.phisync.events.Severity;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A severity on the scale debug < info < low < medium < warning < high < critical. */
final class SeverityConverter implements ITypeConverter<Severity> {
  @Override
  public Severity convert(String value) {
    try {
      return Severity.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(String.valueOf(e.getMessage()));
    }
  }
}
