package io.phisync.cli;

import io.phisync.agent.Program;
import io.phisync.bus.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A handlers file: which program serves which command.
 *
 * <pre>
 * handlers:
 *   research:
 *     program: ./bin/research      # relative to this file's directory, or a name on PATH
 *     args: ["--json"]
 *     timeout: 2m                  # default: agent run's --timeout
 *     env: { MODE: fast }
 * </pre>
 */
final class HandlersFile {
  private static final Set<String> TOP = Set.of("handlers");
  private static final Set<String> ENTRY = Set.of("program", "args", "timeout", "env");
  private static final long MAX_BYTES = 1 << 20;

  private HandlersFile() {}

  /**
   * Reads {@code file}.
   *
   * @throws CliException (usage) naming the file and what is wrong in it
   */
  static Map<String, Program> read(Path file, Duration defaultTimeout) {
    JsonNode root;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw invalid(file, "it is over " + MAX_BYTES + " bytes");
      }
      root = YAMLMapper.builder().build().readTree(Files.readString(file));
    } catch (IOException e) {
      throw CliException.usage("cannot read handlers file " + file + ": " + e);
    } catch (JacksonException e) {
      throw invalid(file, "not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid(file, "expected a mapping with 'handlers:'");
    }
    unknownKeys(file, "the top level", root, TOP);
    JsonNode handlers = root.path("handlers");
    if (!handlers.isObject() || handlers.isEmpty()) {
      throw invalid(file, "'handlers' must map at least one command to a program");
    }
    Path base = file.toAbsolutePath().getParent();
    Map<String, Program> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : handlers.properties()) {
      out.put(e.getKey(), entry(file, base, e.getKey(), e.getValue(), defaultTimeout));
    }
    return out;
  }

  private static Program entry(
      Path file,
      @org.jspecify.annotations.Nullable Path base,
      String command,
      JsonNode spec,
      Duration defaultTimeout) {
    String where = "command '" + command + "'";
    if (command.isBlank()) {
      throw invalid(file, "a command name is blank");
    }
    if (!spec.isObject()) {
      throw invalid(file, where + ": expected a mapping with 'program:'");
    }
    unknownKeys(file, where, spec, ENTRY);
    JsonNode program = spec.path("program");
    if (!program.isString() || program.asString().isBlank()) {
      throw invalid(file, where + ": 'program' must be a path or a program name");
    }
    List<String> argv = new ArrayList<>();
    argv.add(resolve(base, program.asString()));
    JsonNode args = spec.path("args");
    if (!args.isMissingNode()) {
      if (!args.isArray()) {
        throw invalid(file, where + ": 'args' must be a list of strings");
      }
      for (JsonNode arg : args) {
        if (!arg.isValueNode() || arg.isNull()) {
          throw invalid(file, where + ": 'args' must be a list of strings");
        }
        argv.add(arg.asString());
      }
    }
    Duration timeout = defaultTimeout;
    JsonNode t = spec.path("timeout");
    if (!t.isMissingNode()) {
      try {
        timeout = Durations.parse(t.asString());
      } catch (IllegalArgumentException ex) {
        throw invalid(file, where + ": 'timeout': " + ex.getMessage());
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode vars = spec.path("env");
    if (!vars.isMissingNode()) {
      if (!vars.isObject()) {
        throw invalid(file, where + ": 'env' must map names to values");
      }
      for (Map.Entry<String, JsonNode> v : vars.properties()) {
        if (!v.getValue().isValueNode() || v.getValue().isNull()) {
          throw invalid(file, where + ": env " + v.getKey() + " must be a plain value");
        }
        env.put(v.getKey(), v.getValue().asString());
      }
    }
    try {
      return new Program(argv, timeout, env);
    } catch (IllegalArgumentException ex) {
      throw invalid(file, where + ": " + ex.getMessage());
    }
  }

  /** A program with a directory part is relative to the handlers file; a bare name uses PATH. */
  private static String resolve(@org.jspecify.annotations.Nullable Path base, String program) {
    boolean hasDirectory = program.contains("/") || program.contains("\\");
    if (!hasDirectory || base == null || Path.of(program).isAbsolute()) {
      return program;
    }
    return base.resolve(program).normalize().toString();
  }

  private static void unknownKeys(Path file, String where, JsonNode node, Set<String> known) {
    for (String key : node.propertyNames()) {
      if (!known.contains(key)) {
        throw invalid(
            file,
            where
                + ": unknown key '"
                + key
                + "' (known: "
                + String.join(", ", sorted(known))
                + ")");
      }
    }
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  private static CliException invalid(Path file, String what) {
    return CliException.usage("invalid handlers file " + file + ": " + what);
  }
}
