package io.phisync.workflow;

import io.phisync.workflow.WorkflowValidationException.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The checks across steps of a definition: names and ids, duplicate ids (case-insensitive, nested
 * steps included), {@code dependsOn} naming siblings in the same block, cycles (named {@code a -> b
 * -> a}), expressions that compile, template references to steps that exist and are upstream,
 * fan-ins with a merge, scatter sizes, durations and waits. Sub-workflows are checked as workflows
 * of their own.
 */
public final class WorkflowValidator {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");
  private static final Expressions CEL = Expressions.cel();

  private WorkflowValidator() {}

  /**
   * Checks {@code definition}.
   *
   * @throws WorkflowValidationException listing every problem, each with the step it concerns
   */
  public static void validate(WorkflowDefinition definition) {
    List<Problem> problems = problems(definition);
    if (!problems.isEmpty()) {
      throw new WorkflowValidationException("workflow '" + definition.name() + "'", problems);
    }
  }

  /** Every problem of {@code definition}, in file order; empty when it is valid. */
  public static List<Problem> problems(WorkflowDefinition definition) {
    Check check = new Check();
    check.definition(definition, "");
    return List.copyOf(check.problems);
  }

  /** Where a step sits: its path, block and enclosing step. */
  private record Place(Step step, String path, List<Step> block, @Nullable Place parent) {}

  private static final class Check {
    final List<Problem> problems = new ArrayList<>();
    final Map<String, Place> places = new LinkedHashMap<>();
    final Map<String, String> lowerIds = new HashMap<>();

    void problem(String step, String path, String message) {
      problems.add(new Problem(step, path, message));
    }

    void definition(WorkflowDefinition def, String prefix) {
      if (!NAME.matcher(def.name()).matches()) {
        problem(
            "",
            WorkflowCodec.join(prefix, "name"),
            "bad workflow name '" + def.name() + "': the rule is [a-z][a-z0-9_-]{0,63}");
      }
      if (def.steps().isEmpty()) {
        problem("", WorkflowCodec.join(prefix, "steps"), "a workflow needs at least one step");
      }
      index(def.steps(), WorkflowCodec.join(prefix, "steps"), null, /* pipeline= */ false);
      if (def.onFailure() != null) {
        index(
            List.of(def.onFailure()),
            WorkflowCodec.join(prefix, "onFailure"),
            null,
            /* pipeline= */ false);
      }
      for (Place place : new ArrayList<>(places.values())) {
        step(place);
      }
      blocks(def.steps(), WorkflowCodec.join(prefix, "steps"), false);
      Set<String> everything = places.keySet();
      if (def.onFailure() != null) {
        Place place = places.get(def.onFailure().id());
        if (place != null) {
          references(place, everything, /* self= */ true);
        }
      }
      if (def.output() != null) {
        templateRefs("", WorkflowCodec.join(prefix, "output"), def.output(), everything, "output");
      }
    }

    /** Records every step's place and checks ids. */
    void index(List<Step> block, String path, @Nullable Place parent, boolean pipeline) {
      for (int i = 0; i < block.size(); i++) {
        Step step = block.get(i);
        String stepPath = path + "[" + i + "]";
        if (!ID.matcher(step.id()).matches()) {
          problem(
              step.id(),
              stepPath + ".id",
              "bad step id '" + step.id() + "': the rule is [A-Za-z][A-Za-z0-9_]{0,47}");
        }
        String lower = step.id().toLowerCase(Locale.ROOT);
        String seen = lowerIds.putIfAbsent(lower, step.id());
        Place place = new Place(step, stepPath, block, parent);
        if (seen != null) {
          problem(
              step.id(),
              stepPath + ".id",
              "duplicate step id '"
                  + step.id()
                  + "' (ids are unique in the whole file, case-insensitively; '"
                  + seen
                  + "' is at "
                  + java.util.Objects.requireNonNull(places.get(seen)).path()
                  + ")");
        } else {
          places.put(step.id(), place);
        }
        if (pipeline && !step.dependsOn().isEmpty()) {
          problem(
              step.id(),
              stepPath + ".dependsOn",
              "pipeline stages run in order: a stage has no dependsOn");
        }
        StepBody body = step.body();
        String kind = stepPath + "." + step.kind();
        if (body instanceof StepBody.Parallel p) {
          index(p.branches(), kind + ".branches", place, false);
        } else if (body instanceof StepBody.Pipeline p) {
          index(p.stages(), kind, place, true);
        } else if (body instanceof StepBody.Condition c) {
          index(c.then(), kind + ".then", place, false);
          index(c.otherwise(), kind + ".else", place, false);
        }
      }
    }

    /** The checks of one step on its own. */
    void step(Place place) {
      Step step = place.step();
      String id = step.id();
      String path = place.path();
      String kind = path + "." + step.kind();
      for (String dep : step.dependsOn()) {
        boolean sibling = place.block().stream().anyMatch(s -> s.id().equals(dep));
        if (!sibling) {
          problem(
              id,
              path + ".dependsOn",
              places.containsKey(dep)
                  ? "dependsOn '" + dep + "' is not in the same block (dependsOn names siblings)"
                  : "dependsOn names unknown step '" + dep + "'");
        }
      }
      if (step.when() != null) {
        expression(id, path + ".when", step.when());
      }
      Set<String> visible = visible(place);
      references(place, visible, /* self= */ false);
      StepBody body = step.body();
      if (body instanceof StepBody.Parallel p) {
        if (p.branches().isEmpty()) {
          problem(id, kind + ".branches", "a parallel block needs at least one branch");
        }
      } else if (body instanceof StepBody.Scatter s) {
        if (s.merge() == Merge.OBJECT) {
          problem(
              id,
              kind + ".merge",
              "a scatter cannot merge by object (chunks have no ids): use collect, concat, sum or"
                  + " merge");
        }
        if (s.partitionsTemplate() != null && s.partitions() != 0) {
          problem(id, kind + ".partitions", "partitions is a number or a template, not both");
        }
        if (s.hasPartitions() == (s.chunkSize() > 0)) {
          problem(id, kind, "a scatter has exactly one of partitions and chunkSize (above 0)");
        }
        if (s.partitions() < 0 || s.chunkSize() < 0 || s.maxConcurrency() < 0) {
          problem(id, kind, "partitions, chunkSize and maxConcurrency must not be negative");
        }
        expression(id, kind + ".items", s.items());
      } else if (body instanceof StepBody.Pipeline p) {
        if (p.stages().isEmpty()) {
          problem(id, kind, "a pipeline needs at least one stage");
        }
      } else if (body instanceof StepBody.Condition c) {
        expression(id, kind + ".if", c.condition());
        if (c.then().isEmpty()) {
          problem(id, kind + ".then", "a condition needs at least one step in then");
        }
      } else if (body instanceof StepBody.Approval a) {
        if (a.timeout().isZero() || a.timeout().isNegative()) {
          problem(id, kind + ".timeout", "an approval's timeout must be above 0");
        }
      } else if (body instanceof StepBody.Wait w) {
        if ((w.duration() == null) == (w.until() == null)) {
          problem(id, kind, "a wait has exactly one of duration and until");
        }
        if (w.duration() != null && w.duration().isNegative()) {
          problem(id, kind + ".duration", "a duration must not be negative");
        }
      } else if (body instanceof StepBody.SubWorkflow sub) {
        Check child = new Check();
        child.definition(sub.workflow(), kind + ".definition");
        problems.addAll(child.problems);
      }
    }

    /** The expressions of a step's own fields, and the steps they may name. */
    void references(Place place, Set<String> visible, boolean self) {
      Step step = place.step();
      String id = step.id();
      String path = place.path();
      String kind = path + "." + step.kind();
      Set<String> withSelf = new LinkedHashSet<>(visible);
      withSelf.add(id);
      if (step.when() != null) {
        refs(id, path + ".when", step.when(), visible);
      }
      if (step.compensate() != null && step.compensate().payload() != null) {
        templateRefs(id, path + ".compensate.payload", step.compensate().payload(), withSelf, "");
      }
      StepBody body = step.body();
      if (body instanceof StepBody.Task t && t.payload() != null) {
        templateRefs(id, kind + ".payload", t.payload(), self ? withSelf : visible, "");
      } else if (body instanceof StepBody.Scatter s) {
        refs(id, kind + ".items", s.items(), visible);
        if (s.partitionsTemplate() != null) {
          templateRefs(
              id,
              kind + ".partitions",
              tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(
                  s.partitionsTemplate()),
              visible,
              "");
        }
        if (s.task().payload() != null) {
          templateRefs(id, kind + ".task.payload", s.task().payload(), visible, "");
        }
      } else if (body instanceof StepBody.Condition c) {
        refs(id, kind + ".if", c.condition(), visible);
      } else if (body instanceof StepBody.Approval a) {
        templateRefs(
            id,
            kind + ".message",
            tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(a.message()),
            visible,
            "");
        if (a.context() != null) {
          templateRefs(id, kind + ".context", a.context(), visible, "");
        }
      } else if (body instanceof StepBody.Wait w && w.until() != null) {
        templateRefs(
            id,
            kind + ".until",
            tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(w.until()),
            visible,
            "");
      } else if (body instanceof StepBody.SubWorkflow sub && sub.input() != null) {
        templateRefs(id, kind + ".input", sub.input(), visible, "");
      }
    }

    void templateRefs(String id, String path, JsonNode template, Set<String> visible, String what) {
      List<String> expressions;
      try {
        expressions = CEL.expressionsIn(template);
      } catch (ExpressionException e) {
        problem(id, path, String.valueOf(e.getMessage()));
        return;
      }
      for (String expression : expressions) {
        refs(id, path, expression, visible);
      }
    }

    void refs(String id, String path, String expression, Set<String> visible) {
      Set<String> named;
      try {
        named = CEL.referencedSteps(expression);
      } catch (ExpressionException e) {
        problem(id, path, String.valueOf(e.getMessage()));
        return;
      }
      for (String ref : named) {
        if (!places.containsKey(ref)) {
          problem(id, path, "'" + expression + "' refers to unknown step '" + ref + "'");
        } else if (!visible.contains(ref)) {
          problem(
              id,
              path,
              "'"
                  + expression
                  + "' refers to step '"
                  + ref
                  + "', which is not upstream of "
                  + (id.isEmpty() ? "this" : "'" + id + "'")
                  + " (add it to dependsOn, directly or through a step that depends on it)");
        }
      }
    }

    void expression(String id, String path, String expression) {
      try {
        CEL.check(expression);
      } catch (ExpressionException e) {
        problem(id, path, String.valueOf(e.getMessage()));
      }
    }

    /**
     * The steps whose outputs {@code place} may read: its upstream steps in its block (dependsOn
     * transitively; earlier stages in a pipeline), their nested steps, and the same for each
     * enclosing step.
     */
    Set<String> visible(Place place) {
      Set<String> out = new LinkedHashSet<>();
      for (Place at = place; at != null; at = at.parent()) {
        for (Step up : upstream(at)) {
          descendants(up, out);
        }
      }
      return out;
    }

    private List<Step> upstream(Place place) {
      List<Step> block = place.block();
      boolean pipeline =
          place.parent() != null && place.parent().step().body() instanceof StepBody.Pipeline;
      List<Step> out = new ArrayList<>();
      if (pipeline) {
        for (Step s : block) {
          if (s == place.step()) {
            break;
          }
          out.add(s);
        }
        return out;
      }
      Map<String, Step> byId = new HashMap<>();
      block.forEach(s -> byId.put(s.id(), s));
      List<String> todo = new ArrayList<>(place.step().dependsOn());
      Set<String> seen = new LinkedHashSet<>();
      while (!todo.isEmpty()) {
        String next = todo.remove(todo.size() - 1);
        Step s = byId.get(next);
        if (s != null && seen.add(next)) {
          out.add(s);
          todo.addAll(s.dependsOn());
        }
      }
      return out;
    }

    private static void descendants(Step step, Set<String> out) {
      out.add(step.id());
      StepBody body = step.body();
      if (body instanceof StepBody.Parallel p) {
        p.branches().forEach(s -> descendants(s, out));
      } else if (body instanceof StepBody.Pipeline p) {
        p.stages().forEach(s -> descendants(s, out));
      } else if (body instanceof StepBody.Condition c) {
        c.then().forEach(s -> descendants(s, out));
        c.otherwise().forEach(s -> descendants(s, out));
      }
    }

    /** Cycles of dependsOn in every block. */
    void blocks(List<Step> block, String path, boolean pipeline) {
      if (!pipeline) {
        cycles(block, path);
      }
      for (int i = 0; i < block.size(); i++) {
        Step step = block.get(i);
        String kind = path + "[" + i + "]." + step.kind();
        StepBody body = step.body();
        if (body instanceof StepBody.Parallel p) {
          blocks(p.branches(), kind + ".branches", false);
        } else if (body instanceof StepBody.Pipeline p) {
          blocks(p.stages(), kind, true);
        } else if (body instanceof StepBody.Condition c) {
          blocks(c.then(), kind + ".then", false);
          blocks(c.otherwise(), kind + ".else", false);
        }
      }
    }

    private void cycles(List<Step> block, String path) {
      Map<String, Step> byId = new LinkedHashMap<>();
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < block.size(); i++) {
        byId.putIfAbsent(block.get(i).id(), block.get(i));
        index.putIfAbsent(block.get(i).id(), i);
      }
      Map<String, Integer> state = new HashMap<>(); // 1 on the stack, 2 done
      Set<Set<String>> reported = new java.util.HashSet<>();
      for (String start : byId.keySet()) {
        dfs(start, byId, state, new ArrayList<>(), reported, path, index);
      }
    }

    private void dfs(
        String id,
        Map<String, Step> byId,
        Map<String, Integer> state,
        List<String> stack,
        Set<Set<String>> reported,
        String path,
        Map<String, Integer> index) {
      Integer s = state.get(id);
      if (s != null && s == 2) {
        return;
      }
      if (s != null && s == 1) {
        List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(id), stack.size()));
        if (reported.add(new java.util.HashSet<>(cycle))) {
          cycle.add(id);
          problem(
              id,
              path + "[" + index.get(id) + "].dependsOn",
              "dependency cycle: " + String.join(" -> ", cycle));
        }
        return;
      }
      state.put(id, 1);
      stack.add(id);
      for (String dep : java.util.Objects.requireNonNull(byId.get(id)).dependsOn()) {
        if (byId.containsKey(dep)) {
          dfs(dep, byId, state, stack, reported, path, index);
        }
      }
      stack.remove(stack.size() - 1);
      state.put(id, 2);
    }
  }
}
