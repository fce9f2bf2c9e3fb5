package io.phisync.cli;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.InvalidNameException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An agent name, checked against the naming rule, which the error names. */
final class AgentNameConverter implements ITypeConverter<AgentName> {
  @Override
  public AgentName convert(String value) {
    try {
      return AgentName.of(value);
    } catch (InvalidNameException e) {
      throw new TypeConversionException(String.valueOf(e.getMessage()));
    }
  }
}
