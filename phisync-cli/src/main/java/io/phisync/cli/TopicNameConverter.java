package io.phisync.cli;

import io.phisync.protocol.InvalidNameException;
import io.phisync.protocol.TopicName;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A topic name, checked against the naming rule, which the error names. */
final class TopicNameConverter implements ITypeConverter<TopicName> {
  @Override
  public TopicName convert(String value) {
    try {
      return TopicName.of(value);
    } catch (InvalidNameException e) {
      throw new TypeConversionException(String.valueOf(e.getMessage()));
    }
  }
}
