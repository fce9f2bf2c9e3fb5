package io.phisync.workflow;

import io.phisync.workflow.WorkflowValidationException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads definitions from YAML or JSON files ({@code .yaml}, {@code .yml}, {@code .json}; other
 * names by their content) and validates them.
 *
 * <p>Limits: files of at most {@value #MAX_FILE_BYTES} bytes of UTF-8, nesting at most {@value
 * #MAX_DEPTH} deep, no duplicate keys, few YAML aliases. A sub-workflow's {@code file} is relative
 * to the file that names it and must stay inside that file's directory tree (no absolute paths, no
 * {@code ..}, no symbolic link out); includes may not form a cycle, nor nest deeper than {@value
 * #MAX_INCLUDES}. Every failure is a {@link WorkflowValidationException} naming the file, except a
 * file that cannot be read at all ({@link WorkflowException}).
 */
public final class WorkflowLoader {
  /** The largest definition file. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  /** The deepest nesting of objects and lists. */
  public static final int MAX_DEPTH = 64;

  /** The deepest chain of sub-workflow files. */
  public static final int MAX_INCLUDES = 16;

  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_FILE_BYTES)
          .maxNumberLength(64)
          .maxNameLength(1024)
          .maxDocumentLength(MAX_FILE_BYTES)
          .build();

  private static final ObjectMapper JSON =
      JsonMapper.builder(JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final ObjectMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .streamReadConstraints(CONSTRAINTS)
                  .loadSettings(
                      LoadSettings.builder()
                          .setAllowDuplicateKeys(false)
                          .setAllowRecursiveKeys(false)
                          .setMaxAliasesForCollections(20)
                          .setCodePointLimit(MAX_FILE_BYTES)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private WorkflowLoader() {}

  /**
   * Loads and validates the definition in {@code file}, sub-workflow files embedded.
   *
   * @throws WorkflowValidationException listing every problem, each with its step and path
   * @throws WorkflowException when the file cannot be read
   */
  public static WorkflowDefinition load(Path file) {
    WorkflowDefinition definition = new Includes().load(file.toAbsolutePath().normalize());
    WorkflowValidator.validate(definition);
    return definition;
  }

  /**
   * Parses YAML or JSON text into a tree with the loader's limits ({@code name} chooses the format
   * by its extension, else the content decides).
   *
   * @throws WorkflowValidationException when the text is not YAML or JSON
   */
  public static JsonNode parse(String name, byte[] content) {
    if (content.length > MAX_FILE_BYTES) {
      throw fail(name, "is larger than " + MAX_FILE_BYTES + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      throw fail(name, "is not UTF-8 text");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.indexOf('\0') >= 0) {
      throw fail(name, "contains a NUL character: not a text file");
    }
    boolean json = isJson(name, text);
    JsonNode tree;
    try {
      tree = (json ? JSON : YAML).readTree(text);
    } catch (JacksonException e) {
      throw fail(name, "is not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage());
    } catch (RuntimeException | StackOverflowError e) {
      // The YAML engine's own exceptions are not Jackson's: still a bad file, not a crash.
      throw fail(name, "is not valid " + (json ? "JSON" : "YAML") + ": " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw fail(name, "is empty");
    }
    if (!tree.isObject()) {
      throw fail(name, "must hold an object (name, steps, ...), not " + WorkflowCodec.type(tree));
    }
    return tree;
  }

  private static boolean isJson(String name, String text) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".json")) {
      return true;
    }
    if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      return false;
    }
    return text.stripLeading().startsWith("{");
  }

  private static WorkflowValidationException fail(String name, String message) {
    return new WorkflowValidationException(
        name, List.of(new Problem("", "", name + " " + message)));
  }

  /** One load: the chain of files being read (for cycles) and the files already read. */
  private static final class Includes {
    private final Deque<Path> chain = new ArrayDeque<>();
    private final Map<Path, WorkflowDefinition> loaded = new HashMap<>();

    WorkflowDefinition load(Path file) {
      String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
      byte[] content = read(file, name);
      JsonNode tree = parse(name, content);
      chain.push(file);
      try {
        return WorkflowCodec.decode(tree, name, include -> child(file, include));
      } finally {
        chain.pop();
      }
    }

    private WorkflowDefinition child(Path parent, String include) {
      Path dir = parent.getParent();
      if (dir == null) {
        throw fail(include, "cannot be resolved: the including file has no directory");
      }
      if (include.isBlank()
          || include.indexOf('\0') >= 0
          || include.startsWith("/")
          || include.startsWith("\\")
          || include.matches("^[A-Za-z]:.*")) {
        throw fail(include, "must be a relative path inside the including file's directory");
      }
      Path relative;
      try {
        relative = dir.getFileSystem().getPath(include);
      } catch (RuntimeException e) {
        throw fail(include, "is not a valid path");
      }
      if (relative.isAbsolute()) {
        throw fail(include, "must be a relative path inside the including file's directory");
      }
      for (Path part : relative) {
        if (part.toString().equals("..")) {
          throw fail(
              include, "must not contain '..': sub-workflow files stay in the directory tree");
        }
      }
      Path target = dir.resolve(relative).normalize();
      if (!target.startsWith(dir)) {
        throw fail(include, "leaves the including file's directory");
      }
      try {
        Path realDir = dir.toRealPath();
        if (Files.exists(target) && !target.toRealPath().startsWith(realDir)) {
          throw fail(include, "leaves the including file's directory (a symbolic link)");
        }
      } catch (IOException e) {
        throw fail(include, "cannot be resolved: " + e.getMessage());
      }
      if (chain.contains(target)) {
        StringBuilder cycle = new StringBuilder();
        List<Path> order = new java.util.ArrayList<>(chain);
        java.util.Collections.reverse(order);
        for (Path p : order.subList(order.indexOf(target), order.size())) {
          cycle.append(p.getFileName()).append(" -> ");
        }
        throw fail(include, "is part of a sub-workflow cycle: " + cycle + target.getFileName());
      }
      if (chain.size() >= MAX_INCLUDES) {
        throw fail(include, "nests sub-workflow files deeper than " + MAX_INCLUDES);
      }
      WorkflowDefinition done = loaded.get(target);
      if (done == null) {
        done = load(target);
        loaded.put(target, done);
      }
      return done;
    }

    private static byte[] read(Path file, String name) {
      try {
        if (!Files.exists(file)) {
          throw new NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
          throw new WorkflowException("cannot read " + file + ": not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
          byte[] content = in.readNBytes(MAX_FILE_BYTES + 1);
          if (content.length > MAX_FILE_BYTES) {
            throw fail(name, "is larger than " + MAX_FILE_BYTES + " bytes");
          }
          return content;
        }
      } catch (NoSuchFileException e) {
        throw new WorkflowException("cannot read " + file + ": no such file");
      } catch (IOException e) {
        throw new WorkflowException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
