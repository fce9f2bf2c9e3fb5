package io.phisync.bench.process;

import io.phisync.protocol.AgentName;
import java.nio.file.Path;
import java.util.Map;

/** A child's {@code key=value} arguments, as {@link Child} writes them. */
record ChildOptions(Map<String, String> values) {
  String get(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing child argument " + key);
    }
    return value;
  }

  Path path(String key) {
    return Path.of(get(key));
  }

  AgentName agent(String key) {
    return AgentName.of(get(key));
  }

  int integer(String key) {
    return Integer.parseInt(get(key));
  }

  int integer(String key, int otherwise) {
    String value = values.get(key);
    return value == null ? otherwise : Integer.parseInt(value);
  }

  long longValue(String key, long otherwise) {
    String value = values.get(key);
    return value == null ? otherwise : Long.parseLong(value);
  }

  Mode mode() {
    return Mode.of(get("mode"));
  }

  Subject subject() {
    return Subject.of(get("subject"));
  }
}
