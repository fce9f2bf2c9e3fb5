package io.phisync.workflow;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link Expressions} on CEL (cel-java): no functions beyond CEL's standard library, no protobuf
 * types, no I/O, and bounded work — expressions of at most {@value #MAX_LENGTH} code points,
 * {@value #MAX_DEPTH} levels of nesting and {@value #MAX_ITERATIONS} comprehension iterations per
 * evaluation. Thread-safe; compiled expressions are cached.
 *
 * <p>Obtained with {@link Expressions#cel()}.
 */
final class CelExpressions implements Expressions {

  /** The longest expression, in code points. */
  static final int MAX_LENGTH = 4096;

  /** The deepest nesting the parser accepts. */
  static final int MAX_DEPTH = 32;

  /**
   * The most comprehension ({@code map}, {@code filter}, {@code all}...) iterations of one
   * evaluation, nested ones included.
   */
  static final int MAX_ITERATIONS = 100_000;

  /** The variables an expression may name; each is any JSON value. */
  static final List<String> VARIABLES =
      List.of("input", "steps", "run", "chunk", "error", "compensationFailures");

  private static final int CACHE_LIMIT = 4096;

  private final Cel cel;
  private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

  private CelExpressions() {
    CelOptions options =
        CelOptions.current()
            .maxExpressionCodePointSize(MAX_LENGTH)
            .maxParseRecursionDepth(MAX_DEPTH)
            .maxParseErrorRecoveryLimit(4)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .maxRegexProgramSize(1000)
            .enableHeterogeneousNumericComparisons(true)
            .enableTimestampEpoch(false)
            .build();
    var builder =
        CelFactory.standardCelBuilder()
            .setOptions(options)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    for (String variable : VARIABLES) {
      builder.addVar(variable, SimpleType.DYN);
    }
    this.cel = builder.build();
  }

  /** A new instance (each holds its own compiled-expression cache). */
  static CelExpressions create() {
    return new CelExpressions();
  }

  @Override
  public JsonNode evaluate(String expression, JsonNode context) {
    Compiled compiled = compile(expression);
    Map<String, Object> variables = new LinkedHashMap<>();
    for (String variable : VARIABLES) {
      JsonNode value = context.get(variable);
      if (value != null) {
        variables.put(variable, CelValues.toCelLazily(value));
      }
    }
    Object result;
    try {
      result = compiled.program.eval(variables);
    } catch (CelEvaluationException | RuntimeException e) {
      throw new ExpressionException(
          "expression '" + abbreviate(expression) + "' failed: " + reason(e), e);
    }
    try {
      return CelValues.toJson(result);
    } catch (IllegalArgumentException e) {
      throw new ExpressionException(
          "expression '" + abbreviate(expression) + "' gave " + e.getMessage(), e);
    }
  }

  @Override
  public boolean test(String expression, JsonNode context) {
    JsonNode value = evaluate(expression, context);
    if (!value.isBoolean()) {
      throw new ExpressionException(
          "condition '"
              + abbreviate(expression)
              + "' must give true or false, gave "
              + CelValues.describe(value));
    }
    return value.booleanValue();
  }

  @Override
  public JsonNode render(JsonNode template, JsonNode context) {
    if (template.isString()) {
      return renderString(template.stringValue(), context);
    }
    if (template.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode element : template) {
        out.add(render(element, context));
      }
      return out;
    }
    if (template.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : template.properties()) {
        out.set(field.getKey(), render(field.getValue(), context));
      }
      return out;
    }
    return template;
  }

  private JsonNode renderString(String text, JsonNode context) {
    List<Template.Part> parts = Template.parse(text);
    if (parts.size() == 1 && parts.get(0).isExpression()) {
      return evaluate(parts.get(0).text(), context);
    }
    StringBuilder out = new StringBuilder();
    for (Template.Part part : parts) {
      if (part.isExpression()) {
        JsonNode value = evaluate(part.text(), context);
        out.append(value.isString() ? value.stringValue() : value.toString());
      } else {
        out.append(part.text());
      }
    }
    return JsonNodeFactory.instance.stringNode(out.toString());
  }

  @Override
  public void check(String expression) {
    compile(expression);
  }

  @Override
  public List<String> expressionsIn(JsonNode template) {
    List<String> out = new ArrayList<>();
    collect(template, out);
    return Collections.unmodifiableList(out);
  }

  private static void collect(JsonNode template, List<String> out) {
    if (template.isString()) {
      for (Template.Part part : Template.parse(template.stringValue())) {
        if (part.isExpression()) {
          out.add(part.text());
        }
      }
    } else if (template.isContainer()) {
      for (JsonNode element : template.values()) {
        collect(element, out);
      }
    }
  }

  @Override
  public Set<String> referencedSteps(String expression) {
    return compile(expression).steps;
  }

  private Compiled compile(String expression) {
    Compiled cached = cache.get(expression);
    if (cached != null) {
      return cached;
    }
    Compiled compiled = doCompile(expression);
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(expression, compiled);
    return compiled;
  }

  private Compiled doCompile(String expression) {
    if (expression.isBlank()) {
      throw new ExpressionException("an expression must not be empty");
    }
    if (expression.codePointCount(0, expression.length()) > MAX_LENGTH) {
      throw new ExpressionException(
          "expression '"
              + abbreviate(expression)
              + "' is longer than "
              + MAX_LENGTH
              + " characters");
    }
    if (expression.contains("${")) {
      throw new ExpressionException(
          "expression '"
              + abbreviate(expression)
              + "' contains '${': write a CEL expression, not a template");
    }
    CelValidationResult result;
    try {
      result = cel.compile(expression);
    } catch (RuntimeException e) {
      throw new ExpressionException(
          "expression '" + abbreviate(expression) + "' does not compile: " + reason(e), e);
    }
    if (result.hasError()) {
      throw new ExpressionException(
          "expression '"
              + abbreviate(expression)
              + "' does not compile: "
              + result.getErrorString());
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      return new Compiled(cel.createProgram(ast), stepsIn(ast));
    } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
      throw new ExpressionException(
          "expression '" + abbreviate(expression) + "' does not compile: " + reason(e), e);
    }
  }

  /**
   * {@code steps.<id>} and {@code steps["<id>"]} where {@code steps} is the global variable, not a
   * comprehension variable of that name.
   */
  private static Set<String> stepsIn(CelAbstractSyntaxTree ast) {
    Set<String> steps = new LinkedHashSet<>();
    walk(ast.getExpr(), /* shadowed= */ false, steps);
    return Collections.unmodifiableSet(steps);
  }

  private static void walk(CelExpr node, boolean shadowed, Set<String> steps) {
    switch (node.getKind()) {
      case SELECT:
        if (!shadowed && isSteps(node.select().operand())) {
          steps.add(node.select().field());
        }
        walk(node.select().operand(), shadowed, steps);
        break;
      case CALL:
        var call = node.call();
        if (!shadowed
            && call.function().equals("_[_]")
            && call.args().size() == 2
            && isSteps(call.args().get(0))
            && call.args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
            && call.args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
          steps.add(call.args().get(1).constant().stringValue());
        }
        call.target().ifPresent(target -> walk(target, shadowed, steps));
        call.args().forEach(arg -> walk(arg, shadowed, steps));
        break;
      case LIST:
        node.list().elements().forEach(e -> walk(e, shadowed, steps));
        break;
      case MAP:
        node.map()
            .entries()
            .forEach(
                e -> {
                  walk(e.key(), shadowed, steps);
                  walk(e.value(), shadowed, steps);
                });
        break;
      case COMPREHENSION:
        var loop = node.comprehension();
        boolean inner =
            shadowed
                || loop.iterVar().equals("steps")
                || loop.iterVar2().equals("steps")
                || loop.accuVar().equals("steps");
        walk(loop.iterRange(), shadowed, steps);
        walk(loop.accuInit(), shadowed, steps);
        walk(loop.loopCondition(), inner, steps);
        walk(loop.loopStep(), inner, steps);
        walk(loop.result(), inner, steps);
        break;
      default:
        break;
    }
  }

  private static boolean isSteps(CelExpr expr) {
    return expr.getKind() == CelExpr.ExprKind.Kind.IDENT && expr.ident().name().equals("steps");
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  static String abbreviate(String expression) {
    return expression.length() <= 120 ? expression : expression.substring(0, 117) + "...";
  }

  private record Compiled(CelRuntime.Program program, Set<String> steps) {}
}
