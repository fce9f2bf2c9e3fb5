package io.phisync.cli;

import io.phisync.protocol.InvalidNameException;
import io.phisync.protocol.MessageId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A message id, checked against the naming rule, which the error names. */
final class MessageIdConverter implements ITypeConverter<MessageId> {
  @Override
  public MessageId convert(String value) {
    try {
      return MessageId.of(value);
    } catch (InvalidNameException e) {
      throw new TypeConversionException(String.valueOf(e.getMessage()));
    }
  }
}
