package io.phisync.workflow;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ${expr}} parts of a template string. {@code $${} is a literal {@code ${}. An
 * expression ends at the first {@code }} that closes its opening brace, outside CEL string
 * literals, so {@code ${ {'a': 1}.a }} and {@code ${ "}" }} work.
 */
final class Template {
  private Template() {}

  /** A literal text or an expression. */
  record Part(String text, boolean isExpression) {}

  /**
   * The parts of {@code text}, adjacent literals merged.
   *
   * @throws ExpressionException when a {@code ${} is not closed or encloses nothing
   */
  static List<Part> parse(String text) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        literal.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int end = closingBrace(text, i + 2);
        String expression = text.substring(i + 2, end).strip();
        if (expression.isEmpty()) {
          throw new ExpressionException(
              "empty ${} in template '" + CelExpressions.abbreviate(text) + "'");
        }
        if (literal.length() > 0) {
          parts.add(new Part(literal.toString(), false));
          literal.setLength(0);
        }
        parts.add(new Part(expression, true));
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0 || parts.isEmpty()) {
      parts.add(new Part(literal.toString(), false));
    }
    return parts;
  }

  /** Whether {@code text} contains an expression (so it is a template, not a plain string). */
  static boolean hasExpression(String text) {
    return parse(text).stream().anyMatch(Part::isExpression);
  }

  private static int closingBrace(String text, int from) {
    int depth = 0;
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        i = endOfString(text, i);
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
      i++;
    }
    throw new ExpressionException(
        "unclosed ${ in template '"
            + CelExpressions.abbreviate(text)
            + "' (write $${ for a literal ${)");
  }

  /** The index after the string literal starting at {@code start} (CEL quotes, escapes). */
  private static int endOfString(String text, int start) {
    char quote = text.charAt(start);
    boolean triple = text.startsWith(String.valueOf(quote).repeat(3), start);
    int i = start + (triple ? 3 : 1);
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == quote) {
        if (!triple) {
          return i + 1;
        }
        if (text.startsWith(String.valueOf(quote).repeat(3), i)) {
          return i + 3;
        }
      }
      i++;
    }
    return text.length();
  }
}
