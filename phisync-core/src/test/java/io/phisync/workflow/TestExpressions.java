package io.phisync.workflow;

import io.phisync.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tiny stand-in for CEL, enough for the engine's tests: paths ({@code steps.a.output.x}),
 * literals, and one comparison ({@code == != > < >= <=}). The engine only sees {@link Expressions}.
 */
final class TestExpressions implements Expressions {
  private static final Pattern TEMPLATE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern COMPARISON = Pattern.compile("(.+?)\\s*(==|!=|>=|<=|>|<)\\s*(.+)");

  @Override
  public JsonNode evaluate(String expression, JsonNode context) {
    String e = expression.trim();
    Matcher m = COMPARISON.matcher(e);
    if (m.matches()) {
      JsonNode left = evaluate(m.group(1), context);
      JsonNode right = evaluate(m.group(3), context);
      int cmp =
          left.isNumber() && right.isNumber()
              ? Double.compare(left.asDouble(), right.asDouble())
              : left.asString("").compareTo(right.asString(""));
      boolean equal = left.equals(right) || (left.isNumber() && right.isNumber() && cmp == 0);
      boolean out =
          switch (m.group(2)) {
            case "==" -> equal;
            case "!=" -> !equal;
            case ">" -> cmp > 0;
            case "<" -> cmp < 0;
            case ">=" -> cmp >= 0;
            default -> cmp <= 0;
          };
      return Json.mapper().getNodeFactory().booleanNode(out);
    }
    if (e.equals("true") || e.equals("false")) {
      return Json.mapper().getNodeFactory().booleanNode(Boolean.parseBoolean(e));
    }
    if (e.startsWith("'") && e.endsWith("'")) {
      return Json.mapper().getNodeFactory().stringNode(e.substring(1, e.length() - 1));
    }
    if (e.matches("-?\\d+")) {
      return Json.mapper().getNodeFactory().numberNode(Long.parseLong(e));
    }
    if (!e.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new ExpressionException("cannot evaluate '" + expression + "'");
    }
    JsonNode node = context;
    for (String part : e.split("\\.")) {
      if (!node.isObject() || !node.has(part)) {
        throw new ExpressionException("no such key: " + part + " in '" + expression + "'");
      }
      node = node.get(part);
    }
    return node;
  }

  @Override
  public boolean test(String expression, JsonNode context) {
    JsonNode value = evaluate(expression, context);
    if (!value.isBoolean()) {
      throw new ExpressionException("'" + expression + "' is not a boolean");
    }
    return value.asBoolean();
  }

  @Override
  public JsonNode render(JsonNode template, JsonNode context) {
    if (template.isString()) {
      String text = template.asString();
      Matcher m = TEMPLATE.matcher(text);
      if (m.matches()) {
        return evaluate(m.group(1), context);
      }
      StringBuilder out = new StringBuilder();
      m.reset();
      while (m.find()) {
        JsonNode value = evaluate(m.group(1), context);
        m.appendReplacement(
            out, Matcher.quoteReplacement(value.isString() ? value.asString() : value.toString()));
      }
      m.appendTail(out);
      return Json.mapper().getNodeFactory().stringNode(out.toString());
    }
    if (template.isObject()) {
      ObjectNode out = Json.object();
      template.properties().forEach(e -> out.set(e.getKey(), render(e.getValue(), context)));
      return out;
    }
    if (template.isArray()) {
      var out = Json.mapper().createArrayNode();
      template.forEach(v -> out.add(render(v, context)));
      return out;
    }
    return template;
  }

  @Override
  public void check(String expression) {}

  @Override
  public List<String> expressionsIn(JsonNode template) {
    return new ArrayList<>();
  }

  @Override
  public Set<String> referencedSteps(String expression) {
    return Set.of();
  }
}
