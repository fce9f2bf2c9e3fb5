package io.phisync.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.workflow.WorkflowDefinition.StepDefaults;
import io.phisync.workflow.WorkflowValidationException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowCodecTest {

  @Test
  void decode_readsTheFileFormatWithDefaultsMergedIn() {
    WorkflowDefinition def =
        WorkflowCodec.decode(
            Json.parse(
                """
                {"name": "release", "description": "d",
                 "defaults": {"retry": {"maximumAttempts": 4, "jitter": 0},
                              "timeouts": {"startToClose": "10m", "scheduleToClose": "30m"}},
                 "steps": [
                   {"id": "build", "task": {"agent": "vssc", "command": "implement",
                                            "payload": {"x": "${input.x}"}},
                    "retry": {"maximumAttempts": 5}, "timeouts": {"startToClose": "5m",
                    "scheduleToClose": null},
                    "compensate": {"agent": "vssc", "command": "revert"}},
                   {"id": "ok", "dependsOn": ["build"], "trigger": "none_failed",
                    "when": "true", "approval": {"approvers": ["stryk"], "message": "go?",
                    "timeout": "1h", "onTimeout": "skip"}}
                 ]}
                """));
    Step build = def.steps().get(0);
    Retry buildRetry = java.util.Objects.requireNonNull(build.retry());
    assertThat(def.defaults().retry().maximumAttempts()).isEqualTo(4);
    assertThat(buildRetry.maximumAttempts()).isEqualTo(5);
    assertThat(buildRetry.jitter()).isEqualTo(0.0);
    assertThat(buildRetry.initialInterval()).isEqualTo(Retry.DEFAULT.initialInterval());
    assertThat(build.timeouts()).isEqualTo(new Timeouts(null, Duration.ofMinutes(5), null));
    assertThat(java.util.Objects.requireNonNull(build.compensate()).agent())
        .isEqualTo(AgentName.of("vssc"));
    Step ok = def.steps().get(1);
    assertThat(ok.trigger()).isEqualTo(TriggerRule.NONE_FAILED);
    assertThat(ok.retry()).isNull();
    assertThat(((StepBody.Approval) ok.body()).onTimeout()).isEqualTo(StepBody.ExpiryPolicy.SKIP);
  }

  @Test
  void decode_collectsEveryStructuralProblemWithStepAndPath() {
    JsonNode tree =
        Json.parse(
            """
            {"name": "x", "colour": "red",
             "steps": [
               {"id": "a", "task": {"agent": "Bad Agent", "command": "c", "extra": 1}},
               {"id": "b", "task": {"agent": "ok", "command": "c"}, "wait": {"duration": "1s"}},
               {"id": "c", "parallel": {"branches": []}},
               {"id": "d", "wait": {"duration": "soon"}, "retry": {"jitter": 3}},
               {"id": "e", "trigger": "sometimes", "wait": {"duration": "1s"}},
               {"id": "f", "scatter": {"items": "input.x", "merge": "average",
                                       "task": {"agent": "a", "command": "c"}}}
             ]}
            """);
    assertThatThrownBy(() -> WorkflowCodec.decode(tree))
        .isInstanceOfSatisfying(
            WorkflowValidationException.class,
            e -> {
              List<Problem> problems = e.problems();
              assertThat(problems)
                  .extracting(Problem::step, Problem::path)
                  .contains(
                      org.assertj.core.groups.Tuple.tuple("", "colour"),
                      org.assertj.core.groups.Tuple.tuple("a", "steps[0].task.agent"),
                      org.assertj.core.groups.Tuple.tuple("a", "steps[0].task.extra"),
                      org.assertj.core.groups.Tuple.tuple("b", "steps[1]"),
                      org.assertj.core.groups.Tuple.tuple("c", "steps[2].parallel.merge"),
                      org.assertj.core.groups.Tuple.tuple("d", "steps[3].wait.duration"),
                      org.assertj.core.groups.Tuple.tuple("d", "steps[3].retry"),
                      org.assertj.core.groups.Tuple.tuple("e", "steps[4].trigger"),
                      org.assertj.core.groups.Tuple.tuple("f", "steps[5].scatter.merge"));
              assertThat(e.getMessage())
                  .contains("unknown key 'colour'")
                  .contains("the known keys are defaults, description, name, onFailure")
                  .contains("more than one kind [task, wait]")
                  .contains("needs a merge")
                  .contains("the rules are all_success");
            });
  }

  @Test
  void decode_refusesSubWorkflowFilesWithoutTheLoader() {
    assertThatThrownBy(
            () ->
                WorkflowCodec.decode(
                    Json.parse(
                        "{\"name\": \"p\", \"steps\": [{\"id\": \"c\", \"workflow\": {\"file\":"
                            + " \"c.yaml\"}}]}")))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("WorkflowLoader");
  }

  @Property(tries = 200)
  void encode_thenDecode_givesTheSameDefinition(@ForAll("definitions") WorkflowDefinition def) {
    JsonNode tree = WorkflowCodec.encode(def);
    assertThat(WorkflowCodec.decode(tree)).isEqualTo(def);
    // Through text too, as the journal stores it.
    JsonNode reread = Json.parse(Json.compact(tree));
    assertThat(WorkflowCodec.decode(reread)).isEqualTo(def);
    assertThat(WorkflowCodec.encode(WorkflowCodec.decode(reread))).isEqualTo(tree);
  }

  // ---- generators: structurally valid definitions (the codec, not the validator, is tested) ----

  @Provide
  Arbitrary<WorkflowDefinition> definitions() {
    return definition(2);
  }

  static Arbitrary<WorkflowDefinition> definition(int depth) {
    Arbitrary<List<Step>> steps = step(depth).list().ofMinSize(1).ofMaxSize(4);
    return Combinators.combine(
            Arbitraries.of("release", "a", "log-scan_2"),
            Arbitraries.of("", "Research, build, deploy"),
            steps,
            task().injectNull(0.5),
            template().injectNull(0.5),
            defaults())
        .as(
            (name, description, s, onFailure, output, defaults) ->
                new WorkflowDefinition(
                    name,
                    description,
                    s,
                    onFailure == null ? null : step("notify", onFailure),
                    output,
                    defaults));
  }

  @SuppressWarnings("NullAway") // Step's compensate is nullable; NullAway misses it in class files
  private static Step step(String id, StepBody body) {
    return new Step(id, List.of(), TriggerRule.ALL_SUCCESS, null, null, null, null, body);
  }

  private static final AtomicInteger IDS = new AtomicInteger();

  static Arbitrary<Step> step(int depth) {
    Arbitrary<StepBody> body = body(depth);
    return Combinators.combine(
            Arbitraries.of("a", "b", "research", "x_1").list().ofMaxSize(2),
            Arbitraries.of(TriggerRule.class),
            Arbitraries.of("true", "input.x > 1").injectNull(0.6),
            retry().injectNull(0.5),
            timeouts().injectNull(0.5),
            task().injectNull(0.7),
            body)
        .as(
            (deps, trigger, when, retry, timeouts, compensate, b) ->
                new Step(
                    "s" + IDS.incrementAndGet(),
                    deps,
                    trigger,
                    when,
                    retry,
                    timeouts,
                    compensate,
                    b));
  }

  static Arbitrary<StepBody> body(int depth) {
    List<Arbitrary<? extends StepBody>> kinds = new ArrayList<>();
    kinds.add(task());
    kinds.add(approval());
    kinds.add(waitBody());
    kinds.add(scatter());
    if (depth > 0) {
      Arbitrary<List<Step>> block = Arbitraries.lazy(() -> step(depth - 1)).list().ofMaxSize(3);
      kinds.add(Combinators.combine(block, Arbitraries.of(Merge.class)).as(StepBody.Parallel::new));
      kinds.add(block.map(StepBody.Pipeline::new));
      kinds.add(
          Combinators.combine(Arbitraries.of("input.env == 'prod'"), block, block)
              .as(StepBody.Condition::new));
      kinds.add(
          Combinators.combine(
                  Arbitraries.lazy(() -> definition(depth - 1)), template().injectNull(0.3))
              .as(StepBody.SubWorkflow::new));
    }
    return Arbitraries.oneOf(kinds);
  }

  static Arbitrary<StepBody.Task> task() {
    return Combinators.combine(
            Arbitraries.of("webc", "vssc", "cmdc"),
            Arbitraries.of("research", "build", "x"),
            template().injectNull(0.3))
        .as((agent, command, payload) -> new StepBody.Task(AgentName.of(agent), command, payload));
  }

  static Arbitrary<StepBody.Scatter> scatter() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 16),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 8),
            task(),
            Arbitraries.of(Merge.class),
            Arbitraries.of("${input.n}", "${has(input.n) ? input.n : 2}").injectNull(0.5))
        .as(
            (partitions, chunk, max, task, merge, template) ->
                new StepBody.Scatter(
                    "steps.a.output.lines",
                    template == null ? partitions : 0,
                    chunk,
                    max,
                    task,
                    merge,
                    template));
  }

  static Arbitrary<StepBody.Approval> approval() {
    return Combinators.combine(
            Arbitraries.of("stryk", "alice").list().ofMaxSize(2),
            Arbitraries.of("Deploy?", "Deploy with ${steps.a.output.n} findings?"),
            template().injectNull(0.5),
            duration(),
            Arbitraries.of(StepBody.ExpiryPolicy.class))
        .as(
            (approvers, message, context, timeout, policy) ->
                new StepBody.Approval(
                    approvers.stream().map(AgentName::of).toList(),
                    message,
                    context,
                    timeout,
                    policy));
  }

  static Arbitrary<StepBody.Wait> waitBody() {
    return Combinators.combine(
            duration().injectNull(0.5), Arbitraries.of("${input.at}").injectNull(0.5))
        .as(StepBody.Wait::new);
  }

  static Arbitrary<Duration> duration() {
    return Arbitraries.longs()
        .between(0, 10_000_000_000_000L)
        .map(Duration::ofNanos)
        .edgeCases(e -> e.add(Duration.ZERO));
  }

  static Arbitrary<Retry> retry() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 100_000),
            Arbitraries.doubles().between(1.0, 10.0),
            Arbitraries.longs().between(0, 100_000),
            Arbitraries.integers().between(0, 20),
            Arbitraries.of("Rejected", "Timeout.StartToClose").list().ofMaxSize(2),
            Arbitraries.doubles().between(0.0, 1.0))
        .as(
            (initial, backoff, extra, attempts, errors, jitter) ->
                new Retry(
                    Duration.ofMillis(initial),
                    backoff,
                    Duration.ofMillis(initial + extra),
                    attempts,
                    errors,
                    jitter));
  }

  static Arbitrary<Timeouts> timeouts() {
    return Combinators.combine(
            duration().injectNull(0.5), duration().injectNull(0.5), duration().injectNull(0.5))
        .as(Timeouts::new);
  }

  static Arbitrary<StepDefaults> defaults() {
    return Combinators.combine(retry(), timeouts()).as(StepDefaults::new);
  }

  static Arbitrary<JsonNode> template() {
    return Arbitraries.of(
            "{\"topic\": \"${input.feature} best practices\"}",
            "{\"n\": 3, \"xs\": [1, 2.5, \"a\", true, null], \"o\": {\"k\": \"${steps.a.output}\"}}",
            "\"${steps.a.output}\"",
            "[]",
            "{}",
            "{\"big\": 12345678901234, \"neg\": -7, \"s\": \"$${literal}\"}")
        .map(Json::parse);
  }
}
