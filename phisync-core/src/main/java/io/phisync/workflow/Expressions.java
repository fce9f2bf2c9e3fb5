package io.phisync.workflow;

import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The expression language of definitions: CEL (Common Expression Language), evaluated in a safe
 * mode — no I/O, no reflection, bounded work — over a JSON context object ({@code input}, {@code
 * steps}, {@code run}, and where a step kind says so {@code chunk} or {@code error}).
 *
 * <p>Implementations are thread-safe and cache compiled expressions.
 *
 * <pre>{@code
 * Expressions cel = Expressions.cel();
 * boolean go = cel.test("steps.audit.output.vulnerabilitiesFound > 0", context);
 * }</pre>
 */
public interface Expressions {

  /**
   * The CEL implementation: CEL's standard library only, expressions of at most 4096 code points
   * and 32 levels of nesting, at most 100,000 comprehension iterations per evaluation. Each call
   * returns a new instance with its own cache of compiled expressions.
   */
  static Expressions cel() {
    return CelExpressions.create();
  }

  /**
   * Evaluates {@code expression} against the fields of {@code context} and returns its value as
   * JSON.
   *
   * @throws ExpressionException naming the expression and what went wrong
   */
  JsonNode evaluate(String expression, JsonNode context);

  /**
   * Evaluates a condition.
   *
   * @throws ExpressionException when it fails or its value is not a boolean
   */
  boolean test(String expression, JsonNode context);

  /**
   * Renders a template: every string in it that is exactly one {@code ${expr}} becomes the
   * expression's JSON value; a string with text around {@code ${...}} parts becomes a string with
   * each part's value in place (strings as they are, other values as JSON). {@code $${} stands for
   * a literal {@code ${}.
   *
   * @throws ExpressionException naming the expression and what went wrong
   */
  JsonNode render(JsonNode template, JsonNode context);

  /**
   * Checks that {@code expression} compiles.
   *
   * @throws ExpressionException with the parser's message when it does not
   */
  void check(String expression);

  /** The expressions in a template, in order (for validation). */
  java.util.List<String> expressionsIn(JsonNode template);

  /**
   * The step ids an expression refers to as {@code steps.<id>} or {@code steps["<id>"]}, for
   * validation.
   */
  Set<String> referencedSteps(String expression);
}
