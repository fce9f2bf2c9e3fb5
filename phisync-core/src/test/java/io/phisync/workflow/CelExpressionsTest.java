package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.protocol.Json;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CelExpressionsTest {
  private static final Expressions CEL = Expressions.cel();

  private static final JsonNode CONTEXT =
      Json.parse(
          """
          {"input": {"feature": "login", "env": "prod", "n": 3, "ratio": 2.5, "tags": ["a", "b"],
                     "nothing": null, "nested": {"deep": {"x": true}}},
           "steps": {"audit": {"output": {"vulnerabilitiesFound": 2, "report": {"ok": false}},
                               "status": "completed", "attempt": 1, "error": null},
                     "build": {"output": {"artifactPath": "/tmp/a.jar"}, "status": "completed"}},
           "run": {"id": "run-1", "workflow": "release"},
           "chunk": {"items": [1, 2, 3], "index": 0, "count": 4}}
          """);

  @Test
  void evaluate_givesJsonValuesOfEveryType() {
    assertThat(CEL.evaluate("input.feature", CONTEXT).stringValue()).isEqualTo("login");
    assertThat(CEL.evaluate("input.n + 1", CONTEXT).longValue()).isEqualTo(4);
    assertThat(CEL.evaluate("input.ratio * 2.0", CONTEXT).doubleValue()).isEqualTo(5.0);
    assertThat(CEL.evaluate("input.tags", CONTEXT)).isEqualTo(Json.parse("[\"a\",\"b\"]"));
    assertThat(CEL.evaluate("input.nested", CONTEXT))
        .isEqualTo(Json.parse("{\"deep\":{\"x\":true}}"));
    assertThat(CEL.evaluate("input.nothing", CONTEXT).isNull()).isTrue();
    assertThat(CEL.evaluate("null", CONTEXT).isNull()).isTrue();
    assertThat(CEL.evaluate("{'a': [1, 2.5, 'x', null]}", CONTEXT))
        .isEqualTo(Json.parse("{\"a\":[1,2.5,\"x\",null]}"));
    assertThat(CEL.evaluate("chunk.items.map(i, i * 10)", CONTEXT))
        .isEqualTo(Json.parse("[10,20,30]"));
    assertThat(CEL.evaluate("size(input.tags)", CONTEXT).longValue()).isEqualTo(2);
  }

  @Test
  void test_comparesNumbersOfMixedTypesAndRequiresBooleans() {
    assertThat(CEL.test("steps.audit.output.vulnerabilitiesFound > 0", CONTEXT)).isTrue();
    assertThat(CEL.test("input.ratio > 2", CONTEXT)).isTrue();
    assertThat(CEL.test("input.env == 'prod' && has(input.nested.deep)", CONTEXT)).isTrue();
    assertThat(CEL.test("'a' in input.tags", CONTEXT)).isTrue();
    assertThatThrownBy(() -> CEL.test("input.n", CONTEXT))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("must give true or false");
  }

  @Test
  void evaluate_failsClearlyOnMissingFieldsAndVariables() {
    assertThatThrownBy(() -> CEL.evaluate("input.missing", CONTEXT))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("input.missing");
    assertThatThrownBy(() -> CEL.evaluate("error.message", CONTEXT))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("error.message");
    assertThatThrownBy(() -> CEL.evaluate("1 / 0", CONTEXT))
        .isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> CEL.evaluate("0.0 / 0.0", CONTEXT))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("JSON cannot hold");
  }

  @Test
  void check_rejectsWhatDoesNotCompile() {
    assertThatThrownBy(() -> CEL.check("input.")).isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> CEL.check("unknownVariable > 1"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("unknownVariable");
    assertThatThrownBy(() -> CEL.check("")).isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> CEL.check("${input.x}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("not a template");
    assertThatThrownBy(() -> CEL.check("java.lang.System.exit(1)"))
        .isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> CEL.check("input.x; input.y")).isInstanceOf(ExpressionException.class);
    CEL.check("steps.audit.output.vulnerabilitiesFound > 0");
  }

  @Test
  void safeMode_boundsLengthNestingAndIterations() {
    assertThatThrownBy(() -> CEL.check("1" + " + 1".repeat(2000)))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("longer than");
    assertThatThrownBy(() -> CEL.check("(".repeat(200) + "1" + ")".repeat(200)))
        .isInstanceOf(ExpressionException.class);
    // 1000 x 1000 iterations would be a million: refused at run time, promptly.
    JsonNode big = Json.parse("{\"input\": {\"xs\": " + range(1000) + "}}");
    assertThatThrownBy(() -> CEL.evaluate("input.xs.all(a, input.xs.all(b, a + b >= 0))", big))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("budget");
    assertThat(CEL.test("input.xs.all(a, a >= 0)", big)).isTrue();
  }

  private static String range(int n) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ",").append(i);
    }
    return out.append(']').toString();
  }

  @Test
  void referencedSteps_comesFromTheSyntaxTree() {
    assertThat(CEL.referencedSteps("steps.audit.output.x > 0 && steps['build'].status == 'ok'"))
        .containsExactly("audit", "build");
    assertThat(CEL.referencedSteps("has(steps.audit.output) || input.x == 'steps.fake'"))
        .containsExactly("audit");
    assertThat(CEL.referencedSteps("input.list.exists(steps, steps.fake == 1)")).isEmpty();
    assertThat(CEL.referencedSteps("input.feature")).isEmpty();
  }

  @Test
  void render_wholeExpressionKeepsItsJsonType() {
    JsonNode template =
        Json.parse(
            "{\"artifact\": \"${steps.build.output.artifactPath}\","
                + " \"count\": \"${steps.audit.output.vulnerabilitiesFound}\","
                + " \"report\": \"${ steps.audit.output.report }\","
                + " \"items\": [\"${chunk.items}\", 7, true, null],"
                + " \"topic\": \"${input.feature} best practices\","
                + " \"mixed\": \"n=${input.n}, tags=${input.tags}, map=${ {'k': 1}.k }\","
                + " \"literal\": \"costs $${price} and $5\"}");
    JsonNode rendered = CEL.render(template, CONTEXT);
    assertThat(rendered)
        .isEqualTo(
            Json.parse(
                "{\"artifact\": \"/tmp/a.jar\", \"count\": 2, \"report\": {\"ok\": false},"
                    + " \"items\": [[1,2,3], 7, true, null],"
                    + " \"topic\": \"login best practices\","
                    + " \"mixed\": \"n=3, tags=[\\\"a\\\",\\\"b\\\"], map=1\","
                    + " \"literal\": \"costs ${price} and $5\"}"));
  }

  @Test
  void render_handlesBracesInsideStringLiterals() {
    assertThat(CEL.render(Json.parse("\"${ '}' + \\\"{\\\" }\""), CONTEXT).stringValue())
        .isEqualTo("}{");
  }

  @Test
  void render_rejectsUnclosedOrEmptyExpressions() {
    assertThatThrownBy(() -> CEL.render(Json.parse("\"${input.x\""), CONTEXT))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("unclosed");
    assertThatThrownBy(() -> CEL.render(Json.parse("\"a ${ } b\""), CONTEXT))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void expressionsIn_listsEveryExpressionInOrder() {
    JsonNode template =
        Json.parse(
            "{\"a\": \"${input.x} and ${steps.b.output}\", \"c\": [\"$${no}\", \"${run.id}\"]}");
    assertThat(CEL.expressionsIn(template)).containsExactly("input.x", "steps.b.output", "run.id");
  }

  @Property(tries = 300)
  void render_leavesStringsWithoutTemplatesAlone(@ForAll("plain") String text) {
    JsonNode node = Json.mapper().getNodeFactory().stringNode(text);
    assertThat(CEL.render(node, CONTEXT)).isEqualTo(node);
    assertThat(CEL.expressionsIn(node)).isEmpty();
  }

  @Property(tries = 200)
  void render_interpolatesEscapedText(@ForAll("plainNotEndingInDollar") String text) {
    // Any text, with its ${ escaped as $${, renders back to itself around an expression (a $ just
    // before an expression would read as the escape: it is written ${'$'}).
    String escaped = text.replace("${", "$${");
    JsonNode node =
        Json.mapper().getNodeFactory().stringNode(escaped + "${input.feature}" + escaped);
    assertThat(CEL.render(node, CONTEXT).stringValue()).isEqualTo(text + "login" + text);
  }

  @Provide
  Arbitrary<String> plain() {
    return Arbitraries.strings()
        .withChars("ab${}'\"\\ \n$é")
        .ofMaxLength(30)
        .filter(s -> !s.contains("${"));
  }

  @Provide
  Arbitrary<String> plainNotEndingInDollar() {
    return plain().filter(s -> !s.endsWith("$"));
  }
}
