package io.phisync.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A definition flattened for the engine: every step (nested ones included) by id, with its parent,
 * the block it belongs to and its upstream steps. Step ids are unique in a whole definition, so one
 * map holds them all. A scatter's chunks are not here: they exist once planned.
 */
final class Plan {

  /** Which block of its parent a step is in. */
  enum Block {
    TOP,
    BRANCH,
    STAGE,
    THEN,
    ELSE,
    ON_FAILURE
  }

  /**
   * One step.
   *
   * @param upstream the ids it waits for (dependsOn; a pipeline stage also the stage before)
   */
  record Node(Step step, @Nullable String parent, Block block, List<String> upstream, int order) {
    String id() {
      return step.id();
    }
  }

  private final WorkflowDefinition definition;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, List<String>> children = new LinkedHashMap<>();
  private final Map<String, List<String>> downstream = new LinkedHashMap<>();
  private final List<String> top = new ArrayList<>();

  Plan(WorkflowDefinition definition) {
    this.definition = definition;
    addBlock(definition.steps(), null, Block.TOP, false);
    if (definition.onFailure() != null) {
      add(definition.onFailure(), null, Block.ON_FAILURE, List.of());
    }
  }

  private void addBlock(List<Step> steps, @Nullable String parent, Block block, boolean chain) {
    String previous = null;
    for (Step step : steps) {
      List<String> upstream = new ArrayList<>(step.dependsOn());
      if (chain && previous != null && !upstream.contains(previous)) {
        upstream.add(previous);
      }
      add(step, parent, block, upstream);
      if (parent == null) {
        top.add(step.id());
      }
      previous = step.id();
    }
  }

  private void add(Step step, @Nullable String parent, Block block, List<String> upstream) {
    if (nodes.containsKey(step.id())) {
      throw new WorkflowValidationException(
          definition.name(),
          List.of(new WorkflowValidationException.Problem(step.id(), "", "duplicate step id")));
    }
    nodes.put(step.id(), new Node(step, parent, block, List.copyOf(upstream), nodes.size()));
    if (parent != null) {
      children.computeIfAbsent(parent, p -> new ArrayList<>()).add(step.id());
    }
    for (String up : upstream) {
      downstream.computeIfAbsent(up, u -> new ArrayList<>()).add(step.id());
    }
    StepBody body = step.body();
    if (body instanceof StepBody.Parallel p) {
      addBlock(p.branches(), step.id(), Block.BRANCH, false);
    } else if (body instanceof StepBody.Pipeline p) {
      addBlock(p.stages(), step.id(), Block.STAGE, true);
    } else if (body instanceof StepBody.Condition c) {
      addBlock(c.then(), step.id(), Block.THEN, false);
      addBlock(c.otherwise(), step.id(), Block.ELSE, false);
    }
  }

  WorkflowDefinition definition() {
    return definition;
  }

  /** Every step in definition order (depth first). */
  List<Node> nodesInOrder() {
    List<Node> out = new ArrayList<>();
    for (String id : top) {
      collect(id, out);
    }
    if (definition.onFailure() != null) {
      collect(definition.onFailure().id(), out);
    }
    return out;
  }

  private void collect(String id, List<Node> out) {
    out.add(node(id));
    for (String child : children(id)) {
      collect(child, out);
    }
  }

  /** The step with this id; it must exist. */
  Node node(String id) {
    Node node = nodes.get(id);
    if (node == null) {
      throw new IllegalStateException("no step " + id + " in " + definition.name());
    }
    return node;
  }

  @Nullable Node find(String id) {
    return nodes.get(id);
  }

  boolean has(String id) {
    return nodes.containsKey(id);
  }

  List<String> top() {
    return Collections.unmodifiableList(top);
  }

  List<String> children(String id) {
    return children.getOrDefault(id, List.of());
  }

  /** The ids directly downstream of {@code id} in its block. */
  List<String> downstream(String id) {
    return downstream.getOrDefault(id, List.of());
  }

  /** The steps in {@code id}'s block that nothing in the block depends on. */
  List<String> leaves(List<String> block) {
    List<String> out = new ArrayList<>();
    for (String id : block) {
      boolean feeds = false;
      for (String d : downstream(id)) {
        feeds |= block.contains(d);
      }
      if (!feeds) {
        out.add(id);
      }
    }
    return out;
  }

  /** The ids of a condition's block. */
  List<String> block(String condition, Block which) {
    List<String> out = new ArrayList<>();
    for (String child : children(condition)) {
      if (node(child).block() == which) {
        out.add(child);
      }
    }
    return out;
  }

  /**
   * {@code from}, every step transitively downstream of it (and of its enclosing steps), and all
   * their descendants: what a retry from {@code from} runs again. The enclosing steps themselves
   * are reopened by the fold, not listed.
   */
  Set<String> fromOnward(String from) {
    Set<String> out = new LinkedHashSet<>();
    List<String> work = new ArrayList<>(List.of(from));
    while (!work.isEmpty()) {
      String id = work.remove(work.size() - 1);
      if (!out.add(id)) {
        continue;
      }
      work.addAll(downstream(id));
      work.addAll(children(id));
      for (String ancestor : ancestors(id)) {
        // The enclosing steps reopen (the fold does that), so what follows them runs again.
        work.addAll(downstream(ancestor));
      }
    }
    return out;
  }

  /** The ancestors of {@code id}, nearest first. */
  List<String> ancestors(String id) {
    List<String> out = new ArrayList<>();
    Node node = nodes.get(id);
    while (node != null && node.parent() != null) {
      String parent = node.parent();
      out.add(parent);
      node = nodes.get(parent);
    }
    return out;
  }
}
