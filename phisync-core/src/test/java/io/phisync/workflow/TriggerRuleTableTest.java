package io.phisync.workflow;

import static io.phisync.workflow.StepStatus.COMPLETED;
import static io.phisync.workflow.StepStatus.FAILED;
import static io.phisync.workflow.StepStatus.RUNNING;
import static io.phisync.workflow.StepStatus.SKIPPED;
import static io.phisync.workflow.TriggerRule.Decision.RUN;
import static io.phisync.workflow.TriggerRule.Decision.SKIP;
import static io.phisync.workflow.TriggerRule.Decision.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.workflow.TriggerRule.Decision;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule against the same upstream situations: all succeeded, all failed, all skipped, mixed
 * done, one still running.
 */
class TriggerRuleTableTest {
  private static final Decision UF = Decision.UPSTREAM_FAILED;

  static final List<StepStatus> ALL_OK = List.of(COMPLETED, COMPLETED);
  static final List<StepStatus> ALL_FAILED = List.of(FAILED, StepStatus.UPSTREAM_FAILED);
  static final List<StepStatus> ALL_SKIPPED = List.of(SKIPPED, SKIPPED);
  static final List<StepStatus> OK_AND_FAILED = List.of(COMPLETED, FAILED);
  static final List<StepStatus> OK_AND_SKIPPED = List.of(COMPLETED, SKIPPED);
  static final List<StepStatus> OK_AND_RUNNING = List.of(COMPLETED, RUNNING);
  static final List<StepStatus> FAILED_AND_RUNNING = List.of(FAILED, RUNNING);

  static Stream<Arguments> table() {
    // rule, all ok, all failed, all skipped, ok+failed, ok+skipped, ok+running, failed+running
    return Stream.of(
        row(TriggerRule.ALL_SUCCESS, RUN, UF, SKIP, UF, SKIP, WAIT, UF),
        row(TriggerRule.ALL_FAILED, SKIP, RUN, SKIP, SKIP, SKIP, SKIP, WAIT),
        row(TriggerRule.ALL_DONE, RUN, RUN, RUN, RUN, RUN, WAIT, WAIT),
        row(TriggerRule.ALL_SKIPPED, SKIP, SKIP, RUN, SKIP, SKIP, SKIP, SKIP),
        row(TriggerRule.ONE_SUCCESS, RUN, UF, SKIP, RUN, RUN, RUN, WAIT),
        row(TriggerRule.ONE_FAILED, SKIP, RUN, SKIP, RUN, SKIP, WAIT, RUN),
        row(TriggerRule.ONE_DONE, RUN, RUN, SKIP, RUN, RUN, RUN, RUN),
        row(TriggerRule.NONE_FAILED, RUN, UF, RUN, UF, RUN, WAIT, UF),
        row(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, RUN, UF, SKIP, UF, RUN, WAIT, UF),
        row(TriggerRule.NONE_SKIPPED, RUN, RUN, SKIP, RUN, SKIP, WAIT, WAIT),
        row(TriggerRule.ALWAYS, RUN, RUN, RUN, RUN, RUN, RUN, RUN));
  }

  private static Arguments row(TriggerRule rule, Decision... decisions) {
    return Arguments.of(rule, List.of(decisions));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(TriggerRule rule, List<Decision> expected) {
    List<List<StepStatus>> situations =
        List.of(
            ALL_OK,
            ALL_FAILED,
            ALL_SKIPPED,
            OK_AND_FAILED,
            OK_AND_SKIPPED,
            OK_AND_RUNNING,
            FAILED_AND_RUNNING);
    List<Decision> actual = situations.stream().map(rule::decide).toList();
    assertThat(actual).as(rule.label()).isEqualTo(expected);
    assertThat(rule.decide(List.of())).as("no upstream steps").isEqualTo(RUN);
    assertThat(TriggerRule.parse(rule.label())).isEqualTo(rule);
  }

  @org.junit.jupiter.api.Test
  void allElevenRulesAreInTheTable() {
    assertThat(table().map(a -> a.get()[0]).distinct())
        .hasSize(TriggerRule.values().length)
        .hasSize(11);
  }
}
