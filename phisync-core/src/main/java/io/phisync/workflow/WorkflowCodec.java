package io.phisync.workflow;

import io.phisync.bus.Durations;
import io.phisync.protocol.AgentName;
import io.phisync.workflow.WorkflowDefinition.StepDefaults;
import io.phisync.workflow.WorkflowValidationException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Definitions as JSON trees (the format of YAML and JSON workflow files) and back.
 *
 * <p>{@link #decode} reads the file format and reports every structural problem (unknown keys, with
 * the known ones listed; missing or mistyped fields; bad durations, retry fields, trigger rules,
 * merges, agent names), each with its step and path; the checks across steps are {@link
 * WorkflowValidator}'s. A step's {@code retry} fields not given come from {@code defaults.retry}
 * (then {@link Retry#DEFAULT}), its {@code timeouts} fields not given from {@code
 * defaults.timeouts}; an explicit {@code null} timeout means none.
 *
 * <p>{@link #encode} writes the canonical tree: every retry field and timeout spelled out,
 * durations in ISO-8601, sub-workflows embedded as {@code workflow.definition}; so that {@code
 * decode(encode(d)).equals(d)} for every definition {@code d}.
 */
public final class WorkflowCodec {
  static final Set<String> TOP_KEYS =
      Set.of("name", "description", "defaults", "steps", "onFailure", "output");
  static final Set<String> DEFAULTS_KEYS = Set.of("retry", "timeouts");
  static final Set<String> RETRY_KEYS =
      Set.of(
          "initialInterval",
          "backoffCoefficient",
          "maximumInterval",
          "maximumAttempts",
          "nonRetryableErrors",
          "jitter");
  static final Set<String> TIMEOUT_KEYS =
      Set.of("scheduleToStart", "startToClose", "scheduleToClose");
  static final List<String> KINDS =
      List.of(
          "task", "parallel", "scatter", "pipeline", "condition", "approval", "wait", "workflow");
  static final Set<String> STEP_COMMON_KEYS =
      Set.of("id", "dependsOn", "trigger", "when", "retry", "timeouts", "compensate");
  static final Set<String> TASK_KEYS = Set.of("agent", "command", "payload");
  static final Set<String> PARALLEL_KEYS = Set.of("merge", "branches");
  static final Set<String> SCATTER_KEYS =
      Set.of("items", "partitions", "chunkSize", "maxConcurrency", "merge", "task");
  static final Set<String> CONDITION_KEYS = Set.of("if", "then", "else");
  static final Set<String> APPROVAL_KEYS =
      Set.of("approvers", "message", "context", "timeout", "onTimeout");
  static final Set<String> WAIT_KEYS = Set.of("duration", "until");
  static final Set<String> WORKFLOW_KEYS = Set.of("file", "definition", "input");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private WorkflowCodec() {}

  /** Loads the definition a sub-workflow step names by {@code file}. */
  @FunctionalInterface
  interface SubWorkflows {
    /**
     * @throws WorkflowValidationException with the child's problems
     */
    WorkflowDefinition load(String file);
  }

  /**
   * Reads a definition from its JSON tree (sub-workflows embedded as {@code workflow.definition};
   * {@code workflow.file} needs {@link WorkflowLoader}).
   *
   * @throws WorkflowValidationException listing every structural problem
   */
  public static WorkflowDefinition decode(JsonNode tree) {
    return decode(tree, "definition", null);
  }

  static WorkflowDefinition decode(JsonNode tree, String source, @Nullable SubWorkflows files) {
    Decoder decoder = new Decoder(files);
    WorkflowDefinition definition = decoder.definition(tree, "");
    if (!decoder.problems.isEmpty() || definition == null) {
      List<Problem> problems = new ArrayList<>(decoder.problems);
      if (definition != null && decoder.dropped == 0) {
        // Every step decoded, some with a problem: the checks across steps (cycles, unknown
        // steps and references) still apply, so that one run reports every problem.
        for (Problem more : WorkflowValidator.problems(definition)) {
          boolean known =
              problems.stream()
                  .anyMatch(p -> p.path().equals(more.path()) && p.step().equals(more.step()));
          if (!known) {
            problems.add(more);
          }
        }
      }
      throw new WorkflowValidationException(source, problems);
    }
    return definition;
  }

  /** The canonical JSON tree of {@code definition}. */
  public static ObjectNode encode(WorkflowDefinition definition) {
    ObjectNode out = NODES.objectNode();
    out.put("name", definition.name());
    if (!definition.description().isEmpty()) {
      out.put("description", definition.description());
    }
    ObjectNode defaults = out.putObject("defaults");
    defaults.set("retry", encode(definition.defaults().retry()));
    defaults.set("timeouts", encode(definition.defaults().timeouts()));
    out.set("steps", encodeSteps(definition.steps()));
    if (definition.onFailure() != null) {
      out.set("onFailure", encode(definition.onFailure()));
    }
    if (definition.output() != null) {
      out.set("output", definition.output());
    }
    return out;
  }

  private static ArrayNode encodeSteps(List<Step> steps) {
    ArrayNode out = NODES.arrayNode();
    steps.forEach(step -> out.add(encode(step)));
    return out;
  }

  private static ObjectNode encode(Step step) {
    ObjectNode out = NODES.objectNode();
    out.put("id", step.id());
    if (!step.dependsOn().isEmpty()) {
      ArrayNode deps = out.putArray("dependsOn");
      step.dependsOn().forEach(deps::add);
    }
    if (step.trigger() != TriggerRule.ALL_SUCCESS) {
      out.put("trigger", step.trigger().label());
    }
    if (step.when() != null) {
      out.put("when", step.when());
    }
    if (step.retry() != null) {
      out.set("retry", encode(step.retry()));
    }
    if (step.timeouts() != null) {
      out.set("timeouts", encode(step.timeouts()));
    }
    if (step.compensate() != null) {
      out.set("compensate", encodeTask(step.compensate()));
    }
    out.set(step.kind(), encodeBody(step.body()));
    return out;
  }

  private static JsonNode encodeBody(StepBody body) {
    if (body instanceof StepBody.Task task) {
      return encodeTask(task);
    }
    if (body instanceof StepBody.Parallel parallel) {
      ObjectNode out = NODES.objectNode();
      out.put("merge", label(parallel.merge()));
      out.set("branches", encodeSteps(parallel.branches()));
      return out;
    }
    if (body instanceof StepBody.Scatter scatter) {
      ObjectNode out = NODES.objectNode();
      out.put("items", scatter.items());
      if (scatter.partitionsTemplate() != null) {
        out.put("partitions", scatter.partitionsTemplate());
      } else if (scatter.partitions() != 0) {
        out.put("partitions", scatter.partitions());
      }
      if (scatter.chunkSize() != 0) {
        out.put("chunkSize", scatter.chunkSize());
      }
      if (scatter.maxConcurrency() != 0) {
        out.put("maxConcurrency", scatter.maxConcurrency());
      }
      out.put("merge", label(scatter.merge()));
      out.set("task", encodeTask(scatter.task()));
      return out;
    }
    if (body instanceof StepBody.Pipeline pipeline) {
      return encodeSteps(pipeline.stages());
    }
    if (body instanceof StepBody.Condition condition) {
      ObjectNode out = NODES.objectNode();
      out.put("if", condition.condition());
      out.set("then", encodeSteps(condition.then()));
      out.set("else", encodeSteps(condition.otherwise()));
      return out;
    }
    if (body instanceof StepBody.Approval approval) {
      ObjectNode out = NODES.objectNode();
      ArrayNode approvers = out.putArray("approvers");
      approval.approvers().forEach(a -> approvers.add(a.value()));
      out.put("message", approval.message());
      if (approval.context() != null) {
        out.set("context", approval.context());
      }
      out.put("timeout", approval.timeout().toString());
      out.put("onTimeout", approval.onTimeout().name().toLowerCase(Locale.ROOT));
      return out;
    }
    if (body instanceof StepBody.Wait wait) {
      ObjectNode out = NODES.objectNode();
      if (wait.duration() != null) {
        out.put("duration", wait.duration().toString());
      }
      if (wait.until() != null) {
        out.put("until", wait.until());
      }
      return out;
    }
    StepBody.SubWorkflow sub = (StepBody.SubWorkflow) body;
    ObjectNode out = NODES.objectNode();
    out.set("definition", encode(sub.workflow()));
    if (sub.input() != null) {
      out.set("input", sub.input());
    }
    return out;
  }

  private static ObjectNode encodeTask(StepBody.Task task) {
    ObjectNode out = NODES.objectNode();
    out.put("agent", task.agent().value());
    out.put("command", task.command());
    if (task.payload() != null) {
      out.set("payload", task.payload());
    }
    return out;
  }

  private static ObjectNode encode(Retry retry) {
    ObjectNode out = NODES.objectNode();
    out.put("initialInterval", retry.initialInterval().toString());
    out.put("backoffCoefficient", retry.backoffCoefficient());
    out.put("maximumInterval", retry.maximumInterval().toString());
    out.put("maximumAttempts", retry.maximumAttempts());
    ArrayNode errors = out.putArray("nonRetryableErrors");
    retry.nonRetryableErrors().forEach(errors::add);
    out.put("jitter", retry.jitter());
    return out;
  }

  private static ObjectNode encode(Timeouts timeouts) {
    ObjectNode out = NODES.objectNode();
    putDuration(out, "scheduleToStart", timeouts.scheduleToStart());
    putDuration(out, "startToClose", timeouts.startToClose());
    putDuration(out, "scheduleToClose", timeouts.scheduleToClose());
    return out;
  }

  private static void putDuration(ObjectNode out, String key, @Nullable Duration value) {
    if (value == null) {
      out.putNull(key);
    } else {
      out.put(key, value.toString());
    }
  }

  static String label(@Nullable Merge merge) {
    return merge == null ? "null" : merge.name().toLowerCase(Locale.ROOT);
  }

  /** The decoding pass: collects problems and builds what it can. */
  private static final class Decoder {
    final List<Problem> problems = new ArrayList<>();
    final @Nullable SubWorkflows files;

    /** Steps left out for their problems (later paths would no longer match the file). */
    int dropped;

    Decoder(@Nullable SubWorkflows files) {
      this.files = files;
    }

    void problem(String step, String path, String message) {
      problems.add(new Problem(step, path, message));
    }

    @Nullable WorkflowDefinition definition(JsonNode tree, String prefix) {
      if (!tree.isObject()) {
        problem("", prefix, "a workflow definition must be an object, got " + type(tree));
        return null;
      }
      keys(tree, TOP_KEYS, "", prefix, "a workflow");
      String name = string(tree, "name", "", prefix, true);
      String description = string(tree, "description", "", prefix, false);
      Retry retry = Retry.DEFAULT;
      Timeouts timeouts = Timeouts.NONE;
      JsonNode defaults = tree.get("defaults");
      String defaultsPath = join(prefix, "defaults");
      if (defaults != null && !defaults.isNull()) {
        if (!defaults.isObject()) {
          problem("", defaultsPath, "must be an object with retry and timeouts");
        } else {
          keys(defaults, DEFAULTS_KEYS, "", defaultsPath, "defaults");
          retry = retry(defaults.get("retry"), Retry.DEFAULT, "", join(defaultsPath, "retry"));
          Timeouts t =
              timeouts(defaults.get("timeouts"), Timeouts.NONE, "", join(defaultsPath, "timeouts"));
          timeouts = t == null ? Timeouts.NONE : t;
          retry = retry == null ? Retry.DEFAULT : retry;
        }
      }
      StepDefaults stepDefaults = new StepDefaults(retry, timeouts);
      List<Step> steps = new ArrayList<>();
      JsonNode stepsNode = tree.get("steps");
      if (stepsNode == null || stepsNode.isNull()) {
        problem("", join(prefix, "steps"), "a workflow needs steps (a list of steps)");
      } else {
        steps = steps(stepsNode, stepDefaults, join(prefix, "steps"), "");
      }
      Step onFailure = null;
      JsonNode onFailureNode = tree.get("onFailure");
      if (onFailureNode != null && !onFailureNode.isNull()) {
        onFailure = step(onFailureNode, stepDefaults, join(prefix, "onFailure"));
      }
      JsonNode output = template(tree.get("output"));
      if (name == null) {
        return null;
      }
      return new WorkflowDefinition(
          name, description == null ? "" : description, steps, onFailure, output, stepDefaults);
    }

    List<Step> steps(JsonNode node, StepDefaults defaults, String path, String owner) {
      List<Step> out = new ArrayList<>();
      if (!node.isArray()) {
        problem(owner, path, "must be a list of steps, got " + type(node));
        return out;
      }
      for (int i = 0; i < node.size(); i++) {
        Step step = step(node.get(i), defaults, path + "[" + i + "]");
        if (step != null) {
          out.add(step);
        } else {
          dropped++;
        }
      }
      return out;
    }

    @Nullable Step step(JsonNode node, StepDefaults defaults, String path) {
      if (!node.isObject()) {
        problem("", path, "a step must be an object, got " + type(node));
        return null;
      }
      JsonNode idNode = node.get("id");
      String id = idNode != null && idNode.isString() ? idNode.stringValue() : "";
      if (idNode == null || idNode.isNull()) {
        problem("", join(path, "id"), "a step needs an id");
      } else if (!idNode.isString()) {
        problem("", join(path, "id"), "must be a string, got " + type(idNode));
      }
      List<String> kinds = new ArrayList<>();
      for (String kind : KINDS) {
        if (node.has(kind)) {
          kinds.add(kind);
        }
      }
      Set<String> known = new TreeSet<>(STEP_COMMON_KEYS);
      known.addAll(KINDS);
      keys(node, known, id, path, "a step");
      if (kinds.size() != 1) {
        problem(
            id,
            path,
            (kinds.isEmpty() ? "no kind: " : "more than one kind " + kinds + ": ")
                + "a step has exactly one of "
                + String.join(", ", KINDS));
      }
      List<String> dependsOn = stringList(node.get("dependsOn"), id, join(path, "dependsOn"));
      TriggerRule trigger = TriggerRule.ALL_SUCCESS;
      JsonNode triggerNode = node.get("trigger");
      if (triggerNode != null && !triggerNode.isNull()) {
        if (!triggerNode.isString()) {
          problem(id, join(path, "trigger"), "must be a string such as all_success");
        } else {
          try {
            trigger = TriggerRule.parse(triggerNode.stringValue());
          } catch (IllegalArgumentException e) {
            problem(id, join(path, "trigger"), String.valueOf(e.getMessage()));
          }
        }
      }
      String when = string(node, "when", id, path, false);
      Retry retry = null;
      if (node.get("retry") != null && !node.get("retry").isNull()) {
        retry = retry(node.get("retry"), defaults.retry(), id, join(path, "retry"));
      }
      Timeouts timeouts = null;
      if (node.get("timeouts") != null && !node.get("timeouts").isNull()) {
        timeouts = timeouts(node.get("timeouts"), defaults.timeouts(), id, join(path, "timeouts"));
      }
      StepBody.Task compensate = null;
      if (node.get("compensate") != null && !node.get("compensate").isNull()) {
        compensate = task(node.get("compensate"), id, join(path, "compensate"));
      }
      if (kinds.size() != 1) {
        return null;
      }
      String kind = kinds.get(0);
      StepBody body = body(kind, node.get(kind), defaults, id, join(path, kind));
      if (body == null || idNode == null || !idNode.isString()) {
        return null;
      }
      return new Step(id, dependsOn, trigger, when, retry, timeouts, compensate, body);
    }

    @Nullable StepBody body(
        String kind, JsonNode node, StepDefaults defaults, String id, String path) {
      switch (kind) {
        case "task":
          return task(node, id, path);
        case "parallel":
          return parallel(node, defaults, id, path);
        case "scatter":
          return scatter(node, id, path);
        case "pipeline":
          return new StepBody.Pipeline(steps(node, defaults, path, id));
        case "condition":
          return condition(node, defaults, id, path);
        case "approval":
          return approval(node, id, path);
        case "wait":
          return waitBody(node, id, path);
        default:
          return subWorkflow(node, id, path);
      }
    }

    StepBody.@Nullable Task task(JsonNode node, String id, String path) {
      if (!object(node, id, path, "a task {agent, command, payload}")) {
        return null;
      }
      keys(node, TASK_KEYS, id, path, "a task");
      String agent = string(node, "agent", id, path, true);
      String command = string(node, "command", id, path, true);
      JsonNode payload = template(node.get("payload"));
      if (agent == null || command == null) {
        return null;
      }
      try {
        return new StepBody.Task(AgentName.of(agent), command, payload);
      } catch (IllegalArgumentException e) {
        problem(id, join(path, "agent"), String.valueOf(e.getMessage()));
        return null;
      }
    }

    StepBody.@Nullable Parallel parallel(
        JsonNode node, StepDefaults defaults, String id, String path) {
      if (!object(node, id, path, "a parallel block {merge, branches}")) {
        return null;
      }
      keys(node, PARALLEL_KEYS, id, path, "a parallel block");
      Merge merge = merge(node, id, path, "parallel");
      JsonNode branches = node.get("branches");
      List<Step> steps = List.of();
      if (branches == null) {
        problem(id, join(path, "branches"), "a parallel block needs branches (a list of steps)");
      } else {
        steps = steps(branches, defaults, join(path, "branches"), id);
      }
      // A missing merge is already a problem; the block is kept (with a stand-in) so that the
      // checks across steps still run and report the rest.
      return new StepBody.Parallel(steps, merge == null ? Merge.COLLECT : merge);
    }

    StepBody.@Nullable Scatter scatter(JsonNode node, String id, String path) {
      if (!object(node, id, path, "a scatter {items, partitions|chunkSize, merge, task}")) {
        return null;
      }
      keys(node, SCATTER_KEYS, id, path, "a scatter");
      String items = string(node, "items", id, path, true);
      String partitionsTemplate = null;
      int partitions = 0;
      JsonNode partitionsNode = node.get("partitions");
      if (partitionsNode != null && partitionsNode.isString()) {
        partitionsTemplate = partitionsNode.stringValue();
        if (!partitionsTemplate.contains("${")) {
          problem(
              id,
              join(path, "partitions"),
              "must be a whole number or a ${...} template giving one, got '"
                  + partitionsTemplate
                  + "'");
        }
      } else {
        partitions = integer(node, "partitions", id, path);
      }
      int chunkSize = integer(node, "chunkSize", id, path);
      int maxConcurrency = integer(node, "maxConcurrency", id, path);
      Merge merge = merge(node, id, path, "scatter");
      StepBody.Task task = null;
      if (node.get("task") == null || node.get("task").isNull()) {
        problem(id, join(path, "task"), "a scatter needs a task {agent, command, payload}");
      } else {
        task = task(node.get("task"), id, join(path, "task"));
      }
      if (merge == null && items != null && task != null) {
        merge = Merge.COLLECT; // A problem already; a stand-in keeps the step for the other checks.
      }
      if (items == null || merge == null || task == null) {
        return null;
      }
      return new StepBody.Scatter(
          items, partitions, chunkSize, maxConcurrency, task, merge, partitionsTemplate);
    }

    StepBody.@Nullable Condition condition(
        JsonNode node, StepDefaults defaults, String id, String path) {
      if (!object(node, id, path, "a condition {if, then, else}")) {
        return null;
      }
      keys(node, CONDITION_KEYS, id, path, "a condition");
      String condition = string(node, "if", id, path, true);
      List<Step> then = List.of();
      if (node.get("then") == null || node.get("then").isNull()) {
        problem(id, join(path, "then"), "a condition needs then (a list of steps)");
      } else {
        then = steps(node.get("then"), defaults, join(path, "then"), id);
      }
      List<Step> otherwise = List.of();
      if (node.get("else") != null && !node.get("else").isNull()) {
        otherwise = steps(node.get("else"), defaults, join(path, "else"), id);
      }
      return condition == null ? null : new StepBody.Condition(condition, then, otherwise);
    }

    StepBody.@Nullable Approval approval(JsonNode node, String id, String path) {
      if (!object(node, id, path, "an approval {approvers, message, context, timeout}")) {
        return null;
      }
      keys(node, APPROVAL_KEYS, id, path, "an approval");
      List<AgentName> approvers = new ArrayList<>();
      List<String> names = stringList(node.get("approvers"), id, join(path, "approvers"));
      for (int i = 0; i < names.size(); i++) {
        try {
          approvers.add(AgentName.of(names.get(i)));
        } catch (IllegalArgumentException e) {
          problem(id, join(path, "approvers") + "[" + i + "]", String.valueOf(e.getMessage()));
        }
      }
      String message = string(node, "message", id, path, true);
      JsonNode context = template(node.get("context"));
      Duration timeout = duration(node.get("timeout"), id, join(path, "timeout"));
      if (node.get("timeout") == null || node.get("timeout").isNull()) {
        problem(id, join(path, "timeout"), "an approval needs a timeout, such as 1h");
      }
      StepBody.ExpiryPolicy onTimeout = StepBody.ExpiryPolicy.REJECT;
      String policy = string(node, "onTimeout", id, path, false);
      if (policy != null) {
        try {
          onTimeout = StepBody.ExpiryPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          problem(
              id,
              join(path, "onTimeout"),
              "unknown policy '" + policy + "'; the policies are reject, skip, approve");
        }
      }
      if (message == null || timeout == null) {
        return null;
      }
      return new StepBody.Approval(approvers, message, context, timeout, onTimeout);
    }

    StepBody.@Nullable Wait waitBody(JsonNode node, String id, String path) {
      if (!object(node, id, path, "a wait {duration} or {until}")) {
        return null;
      }
      keys(node, WAIT_KEYS, id, path, "a wait");
      Duration duration = duration(node.get("duration"), id, join(path, "duration"));
      String until = string(node, "until", id, path, false);
      return new StepBody.Wait(duration, until);
    }

    StepBody.@Nullable SubWorkflow subWorkflow(JsonNode node, String id, String path) {
      if (!object(node, id, path, "a sub-workflow {file, input}")) {
        return null;
      }
      keys(node, WORKFLOW_KEYS, id, path, "a sub-workflow");
      String file = string(node, "file", id, path, false);
      JsonNode embedded = node.get("definition");
      JsonNode input = template(node.get("input"));
      boolean hasEmbedded = embedded != null && !embedded.isNull();
      if ((file == null) == !hasEmbedded) {
        problem(id, path, "a sub-workflow has exactly one of file and definition");
        return null;
      }
      WorkflowDefinition child = null;
      if (hasEmbedded) {
        child = definition(embedded, join(path, "definition"));
      } else if (files == null) {
        problem(
            id,
            join(path, "file"),
            "sub-workflow files are read by WorkflowLoader; embed the child as definition");
      } else if (file != null) {
        try {
          child = files.load(file);
        } catch (WorkflowValidationException e) {
          for (Problem p : e.problems()) {
            String childPath = join(path + ".file(" + file + ")", p.path());
            problem(p.step().isEmpty() ? id : p.step(), childPath, p.message());
          }
        } catch (WorkflowException e) {
          problem(id, join(path, "file"), String.valueOf(e.getMessage()));
        }
      }
      return child == null ? null : new StepBody.SubWorkflow(child, input);
    }

    @Nullable Merge merge(JsonNode node, String id, String path, String kind) {
      JsonNode value = node.get("merge");
      String known = "collect, concat, sum, object, merge";
      if (value == null || value.isNull()) {
        problem(id, join(path, "merge"), "a " + kind + " fan-in needs a merge, one of " + known);
        return null;
      }
      if (value.isString()) {
        for (Merge merge : Merge.values()) {
          if (label(merge).equals(value.stringValue().trim().toLowerCase(Locale.ROOT))) {
            return merge;
          }
        }
      }
      problem(id, join(path, "merge"), "unknown merge " + value + "; the merges are " + known);
      return null;
    }

    @Nullable Retry retry(@Nullable JsonNode node, Retry base, String id, String path) {
      if (node == null || node.isNull()) {
        return base;
      }
      if (!object(node, id, path, "a retry policy")) {
        return null;
      }
      keys(node, RETRY_KEYS, id, path, "a retry policy");
      int errors = problems.size();
      Duration initial = duration(node.get("initialInterval"), id, join(path, "initialInterval"));
      Duration maximum = duration(node.get("maximumInterval"), id, join(path, "maximumInterval"));
      double backoff = number(node, "backoffCoefficient", base.backoffCoefficient(), id, path);
      int attempts =
          node.has("maximumAttempts")
              ? integer(node, "maximumAttempts", id, path)
              : base.maximumAttempts();
      double jitter = number(node, "jitter", base.jitter(), id, path);
      List<String> nonRetryable =
          node.has("nonRetryableErrors")
              ? stringList(node.get("nonRetryableErrors"), id, join(path, "nonRetryableErrors"))
              : base.nonRetryableErrors();
      if (problems.size() > errors) {
        return null;
      }
      try {
        return new Retry(
            initial == null ? base.initialInterval() : initial,
            backoff,
            maximum == null ? base.maximumInterval() : maximum,
            attempts,
            nonRetryable,
            jitter);
      } catch (IllegalArgumentException e) {
        problem(id, path, String.valueOf(e.getMessage()));
        return null;
      }
    }

    @Nullable Timeouts timeouts(@Nullable JsonNode node, Timeouts base, String id, String path) {
      if (node == null || node.isNull()) {
        return base;
      }
      if (!object(node, id, path, "timeouts {scheduleToStart, startToClose, scheduleToClose}")) {
        return null;
      }
      keys(node, TIMEOUT_KEYS, id, path, "timeouts");
      return new Timeouts(
          timeout(node, "scheduleToStart", base.scheduleToStart(), id, path),
          timeout(node, "startToClose", base.startToClose(), id, path),
          timeout(node, "scheduleToClose", base.scheduleToClose(), id, path));
    }

    @Nullable Duration timeout(
        JsonNode node, String key, @Nullable Duration base, String id, String path) {
      if (!node.has(key)) {
        return base;
      }
      return duration(node.get(key), id, join(path, key));
    }

    @Nullable Duration duration(@Nullable JsonNode node, String id, String path) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isString()) {
        problem(id, path, "a duration is a string such as 500ms, 30s, 5m, 1h, 1d or PT30S");
        return null;
      }
      try {
        Duration value = Durations.parse(node.stringValue());
        if (value.isNegative()) {
          problem(id, path, "a duration must not be negative, got " + node.stringValue());
          return null;
        }
        return value;
      } catch (IllegalArgumentException | ArithmeticException e) {
        problem(id, path, String.valueOf(e.getMessage()));
        return null;
      }
    }

    @Nullable String string(JsonNode node, String key, String id, String path, boolean required) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        if (required) {
          problem(id, join(path, key), "required");
        }
        return null;
      }
      if (!value.isString()) {
        problem(id, join(path, key), "must be a string, got " + type(value));
        return null;
      }
      return value.stringValue();
    }

    int integer(JsonNode node, String key, String id, String path) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return 0;
      }
      if (!value.isIntegralNumber() || !value.canConvertToInt()) {
        problem(id, join(path, key), "must be a whole number, got " + value);
        return 0;
      }
      return value.intValue();
    }

    double number(JsonNode node, String key, double base, String id, String path) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return base;
      }
      if (!value.isNumber()) {
        problem(id, join(path, key), "must be a number, got " + type(value));
        return base;
      }
      return value.doubleValue();
    }

    List<String> stringList(@Nullable JsonNode node, String id, String path) {
      List<String> out = new ArrayList<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isArray()) {
        problem(id, path, "must be a list of strings, got " + type(node));
        return out;
      }
      for (int i = 0; i < node.size(); i++) {
        JsonNode element = node.get(i);
        if (element.isString()) {
          out.add(element.stringValue());
        } else {
          problem(id, path + "[" + i + "]", "must be a string, got " + type(element));
        }
      }
      return out;
    }

    boolean object(JsonNode node, String id, String path, String what) {
      if (node.isObject()) {
        return true;
      }
      problem(id, path, "must be " + what + ", got " + type(node));
      return false;
    }

    void keys(JsonNode node, Set<String> known, String id, String path, String what) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!known.contains(field.getKey())) {
          problem(
              id,
              join(path, field.getKey()),
              "unknown key '"
                  + field.getKey()
                  + "' in "
                  + what
                  + "; the known keys are "
                  + String.join(", ", new TreeSet<>(known)));
        }
      }
    }

    static @Nullable JsonNode template(@Nullable JsonNode node) {
      return node == null || node.isNull() ? null : node;
    }
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String type(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
