package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.phisync.protocol.Json;
import io.phisync.workflow.WorkflowValidationException.Problem;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowValidatorTest {

  private static List<Problem> problems(String json) {
    return WorkflowValidator.problems(WorkflowCodec.decode(Json.parse(json)));
  }

  private static List<String> rendered(String json) {
    return problems(json).stream().map(Problem::toString).toList();
  }

  @Test
  void aFanInWithoutAMerge_doesNotHideTheProblemsAcrossSteps() {
    WorkflowValidationException e =
        catchThrowableOfType(
            () ->
                WorkflowCodec.decode(
                    Json.parse(
                        """
                        {"name": "w", "steps": [
                          {"id": "a", "dependsOn": ["b"], "task": {"agent": "x", "command": "c"}},
                          {"id": "b", "dependsOn": ["a", "nope"],
                           "task": {"agent": "x", "command": "c", "payload": "${steps.zz.output}"}},
                          {"id": "f", "parallel": {"branches": [
                            {"id": "p1", "task": {"agent": "x", "command": "c"}}]}},
                          {"id": "s", "scatter": {"items": "[1, 2]", "chunkSize": 1,
                            "task": {"agent": "x", "command": "c"}}}]}
                        """)),
            WorkflowValidationException.class);

    assertThat(e.problems().stream().map(Problem::toString))
        .anySatisfy(p -> assertThat(p).contains("step 'f' (steps[2].parallel.merge)"))
        .anySatisfy(p -> assertThat(p).contains("step 's' (steps[3].scatter.merge)"))
        .anySatisfy(p -> assertThat(p).contains("dependency cycle: a -> b -> a"))
        .anySatisfy(p -> assertThat(p).contains("unknown step 'nope'"))
        .anySatisfy(p -> assertThat(p).contains("unknown step 'zz'"));
  }

  @Test
  void aValidDefinitionHasNoProblems() {
    assertThat(
            problems(
                """
                {"name": "ok", "steps": [
                  {"id": "a", "task": {"agent": "x", "command": "c"}},
                  {"id": "b", "dependsOn": ["a"], "when": "steps.a.output.n > 0",
                   "task": {"agent": "x", "command": "c", "payload": "${steps.a.output}"}}]}
                """))
        .isEmpty();
  }

  @Test
  void namesAndIds_followTheirRulesAndAreUniqueCaseInsensitively() {
    assertThat(
            rendered(
                """
                {"name": "Bad Name", "steps": [
                  {"id": "9lives", "task": {"agent": "x", "command": "c"}},
                  {"id": "dup", "task": {"agent": "x", "command": "c"}},
                  {"id": "p", "parallel": {"merge": "collect", "branches": [
                    {"id": "DUP", "task": {"agent": "x", "command": "c"}}]}}]}
                """))
        .anySatisfy(p -> assertThat(p).contains("bad workflow name 'Bad Name'"))
        .anySatisfy(p -> assertThat(p).contains("step '9lives' (steps[0].id): bad step id"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("step 'DUP' (steps[2].parallel.branches[0].id): duplicate step id"));
  }

  @Test
  void dependsOn_namesSiblingsAndCyclesAreNamed() {
    List<String> problems =
        rendered(
            """
            {"name": "w", "steps": [
              {"id": "a", "dependsOn": ["c"], "task": {"agent": "x", "command": "c"}},
              {"id": "b", "dependsOn": ["a"], "task": {"agent": "x", "command": "c"}},
              {"id": "c", "dependsOn": ["b"], "task": {"agent": "x", "command": "c"}},
              {"id": "d", "dependsOn": ["nowhere", "inner"], "task": {"agent": "x", "command": "c"}},
              {"id": "self", "dependsOn": ["self"], "task": {"agent": "x", "command": "c"}},
              {"id": "p", "parallel": {"merge": "collect", "branches": [
                {"id": "inner", "task": {"agent": "x", "command": "c"}}]}}]}
            """);
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("dependency cycle: a -> c -> b -> a"))
        .anySatisfy(p -> assertThat(p).contains("dependency cycle: self -> self"))
        .anySatisfy(p -> assertThat(p).contains("step 'd'").contains("unknown step 'nowhere'"))
        .anySatisfy(p -> assertThat(p).contains("'inner' is not in the same block"));
    assertThat(problems.stream().filter(p -> p.contains("cycle"))).hasSize(2);
  }

  @Test
  void references_mustExistAndBeUpstream() {
    List<String> problems =
        rendered(
            """
            {"name": "w", "steps": [
              {"id": "a", "task": {"agent": "x", "command": "c"}},
              {"id": "b", "task": {"agent": "x", "command": "c",
                "payload": {"x": "${steps.a.output}", "y": "text ${steps.ghost.output}"}}},
              {"id": "c", "dependsOn": ["p"], "when": "steps.inner.output == 1",
               "task": {"agent": "x", "command": "c", "payload": "${steps.b.output}"}},
              {"id": "p", "dependsOn": ["a"], "parallel": {"merge": "collect", "branches": [
                {"id": "inner", "task": {"agent": "x", "command": "c",
                  "payload": "${steps.a.output}"}}]}}],
             "output": {"all": "${steps.c.output}", "bad": "${steps.none.output}"}}
            """);
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("step 'b' (steps[1].task.payload)")
                    .contains("refers to step 'a', which is not upstream of 'b'"))
        .anySatisfy(p -> assertThat(p).contains("unknown step 'ghost'"))
        .anySatisfy(p -> assertThat(p).contains("refers to step 'b', which is not upstream of 'c'"))
        .anySatisfy(p -> assertThat(p).contains("workflow (output)").contains("'none'"));
    // Nested steps of an upstream composite, and the enclosing block's upstream, are visible.
    assertThat(problems).noneSatisfy(p -> assertThat(p).contains("'inner', which"));
    assertThat(problems).noneSatisfy(p -> assertThat(p).contains("step 'inner'"));
    assertThat(problems).hasSize(4);
  }

  @Test
  void expressionsFanInsScattersAndWaitsAreChecked() {
    List<String> problems =
        rendered(
            """
            {"name": "w", "steps": [
              {"id": "a", "when": "input.x >", "task": {"agent": "x", "command": "c",
               "payload": "${input.}"}},
              {"id": "s", "scatter": {"items": "input.items", "merge": "object",
               "task": {"agent": "x", "command": "c"}}},
              {"id": "s2", "scatter": {"items": "input.items", "partitions": 2, "chunkSize": 3,
               "merge": "sum", "task": {"agent": "x", "command": "c"}}},
              {"id": "w1", "wait": {}},
              {"id": "c", "condition": {"if": "input.x", "then": []}},
              {"id": "pl", "pipeline": [
                {"id": "st1", "task": {"agent": "x", "command": "c"}},
                {"id": "st2", "dependsOn": ["st1"], "task": {"agent": "x", "command": "c",
                 "payload": "${steps.st1.output}"}}]}]}
            """);
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("step 'a' (steps[0].when)").contains("compile"))
        .anySatisfy(p -> assertThat(p).contains("step 'a' (steps[0].task.payload)"))
        .anySatisfy(p -> assertThat(p).contains("cannot merge by object"))
        .anySatisfy(p -> assertThat(p).contains("step 's'").contains("exactly one of partitions"))
        .anySatisfy(p -> assertThat(p).contains("step 's2'").contains("exactly one of partitions"))
        .anySatisfy(p -> assertThat(p).contains("step 'w1'").contains("exactly one of duration"))
        .anySatisfy(p -> assertThat(p).contains("step 'c'").contains("at least one step in then"))
        .anySatisfy(p -> assertThat(p).contains("step 'st2'").contains("a stage has no dependsOn"));
    assertThat(problems).noneSatisfy(p -> assertThat(p).contains("'st1', which"));
  }

  @Test
  void subWorkflowsAreCheckedAsWorkflowsOfTheirOwn() {
    assertThat(
            rendered(
                """
                {"name": "w", "steps": [{"id": "c", "workflow": {"definition": {"name": "k",
                  "steps": [{"id": "x", "dependsOn": ["y"], "task": {"agent": "a",
                  "command": "c"}}]}}}]}
                """))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .contains("step 'x' (steps[0].workflow.definition.steps[0].dependsOn)"));
  }
}
