package io.phisync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.bench.scenario.Measurement;
import io.phisync.bench.scenario.Measurement.Better;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TargetsTest {
  private static Measurement m(
      String scenario, String mode, String subject, String metric, double value) {
    return new Measurement(scenario, mode, subject, metric, value, "", Better.LOWER);
  }

  @Test
  void eachTarget_isJudgedPerMode_fromItsFigures() {
    List<Targets.Verdict> verdicts =
        new Targets(
                List.of(
                    m("one-way-1", "fast", "phisync", "throughput", 600),
                    m("one-way-1", "fast", "raw-fs", "throughput", 1000),
                    m("one-way-1", "fast", "camel-file", "throughput", 700),
                    m("round-trip", "fast", "phisync", "p50", 0.8),
                    m("round-trip", "fast", "codex-polling", "p50", 40),
                    m("backlog", "durable", "phisync", "@100 / @100000", 0.4),
                    m("workflow", "fast", "phisync", "chain overhead/step", 1.5),
                    m("workflow", "fast", "phisync", "fan-out overhead/step", 2.5),
                    m("cli-startup", "-", "phisync", "median wall", 390)))
            .verdicts();

    assertThat(verdicts)
        .extracting(v -> v.where() + " " + v.met())
        .containsExactly(
            "one-way-1 fast true", // 0.6x raw >= 0.5
            "round-trip fast true", // 0.8 ms <= 1
            "round-trip fast false", // 50x the codex < 100x
            "backlog durable false",
            "workflow fast chain true",
            "workflow fast fan-out false",
            "one-way-1 fast false", // below Camel's throughput
            "cli-startup true");
  }

  @Test
  void report_printsMetAndMissed_andNothingWithoutTargets() {
    StringWriter text = new StringWriter();
    new Report(List.of(m("workflow", "fast", "phisync", "chain overhead/step", 2.5)), false)
        .printTargets(new PrintWriter(text, true));
    assertThat(text.toString())
        .contains("MISSED  workflow fast chain  2.50 ms  target: workflow overhead <= 2.00 ms");

    StringWriter none = new StringWriter();
    new Report(List.of(m("lock-contention", "fast", "phisync", "p50", 3)), false)
        .printTargets(new PrintWriter(none, true));
    assertThat(none.toString()).isEmpty();
  }

  @Test
  void aRoundTripVerdict_namesTheRawFloor_whenTheRunMeasuredIt() {
    List<Targets.Verdict> verdicts =
        new Targets(
                List.of(
                    m("round-trip", "fast", "phisync", "p50", 1.6),
                    m("round-trip", "fast", "raw-fs", "p50", 1.2)))
            .verdicts();

    assertThat(verdicts).hasSize(1);
    assertThat(verdicts.get(0).measured()).isEqualTo("1.60 ms (raw-fs floor 1.20 ms)");
    assertThat(verdicts.get(0).met()).isFalse();
  }

  @Test
  void aRoundTripVerdict_namesBothFloors_whenTheRunMeasuredTheKeptOneToo() {
    List<Targets.Verdict> verdicts =
        new Targets(
                List.of(
                    m("round-trip", "durable", "phisync", "p50", 4.0),
                    m("round-trip", "durable", "raw-fs", "p50", 3.1),
                    m("round-trip", "durable", "raw-fs-kept", "p50", 3.6)))
            .verdicts();

    assertThat(verdicts).hasSize(1);
    assertThat(verdicts.get(0).measured())
        .isEqualTo("4.00 ms (raw-fs floor 3.10 ms; 3.60 ms keeping its files)");
  }

  @Test
  void aOneWayVerdict_namesHowCloseABarePipelineCame_whenTheRunMeasuredIt() {
    List<Targets.Verdict> verdicts =
        new Targets(
                List.of(
                    m("one-way-1", "fast", "phisync", "throughput", 2_000),
                    m("one-way-1", "fast", "raw-fs", "throughput", 20_000),
                    m("one-way-1", "fast", "raw-fs-kept", "throughput", 2_500)))
            .verdicts();

    assertThat(verdicts).hasSize(1);
    assertThat(verdicts.get(0).measured())
        .isEqualTo("0.10x raw-fs (a bare pipeline keeping its files, raw-fs-kept: 0.13x raw-fs)");
    assertThat(verdicts.get(0).met()).isFalse();
  }
}
