package io.phisync.bench;

import io.phisync.bench.scenario.Measurement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The targets of issue 7, judged on one run's measurements: each target whose figures the run has
 * gives a {@link Verdict} per mode; targets whose scenarios did not run give none.
 */
final class Targets {
  /** Fast one-way throughput against the raw create-write-rename rate. */
  static final double ONE_WAY_VS_RAW = 0.5;

  /** Round-trip p50, ms. */
  static final double ROUND_TRIP_P50_MS = 1.0;

  /** How many times better than the codex's polling the round-trip p50 is to be. */
  static final double ROUND_TRIP_VS_CODEX = 100;

  /** Per-message drain time of 100 messages over that of the large backlog. */
  static final double BACKLOG_RATIO = 0.5;

  /** Workflow engine overhead per step, ms. */
  static final double WORKFLOW_OVERHEAD_MS = 2.0;

  /** {@code phisync send} start-up wall time, ms. */
  static final double STARTUP_MS = 400;

  /**
   * One target in one mode.
   *
   * @param target what the issue asks, in words
   * @param where scenario and mode, e.g. {@code round-trip fast}
   * @param measured the figure compared, with its unit or as a ratio
   * @param met whether the figure reaches the target
   */
  record Verdict(String target, String where, String measured, boolean met) {}

  private final List<Measurement> measurements;

  Targets(List<Measurement> measurements) {
    this.measurements = List.copyOf(measurements);
  }

  List<Verdict> verdicts() {
    List<Verdict> out = new ArrayList<>();
    for (String scenario : List.of("one-way-1", "one-way-4")) {
      ratio(scenario, "fast", "throughput", "raw-fs", true)
          .ifPresent(
              r ->
                  out.add(
                      new Verdict(
                          "fast one-way throughput >= 1/2 raw create-write-rename",
                          scenario + " fast",
                          Report.format(r) + "x raw-fs" + pipelineFloor(scenario),
                          r >= ONE_WAY_VS_RAW)));
    }
    for (String mode : modes("round-trip")) {
      value("round-trip", mode, Measurement.PHISYNC, m -> m.equals("p50"))
          .ifPresent(
              p50 ->
                  out.add(
                      new Verdict(
                          "round-trip p50 <= " + Report.format(ROUND_TRIP_P50_MS) + " ms",
                          "round-trip " + mode,
                          Report.format(p50) + " ms" + floor("round-trip", mode),
                          p50 <= ROUND_TRIP_P50_MS)));
      ratio("round-trip", mode, "p50", "codex-polling", false)
          .ifPresent(
              r ->
                  out.add(
                      new Verdict(
                          "round-trip p50 >= 100x better than the codex's polling",
                          "round-trip " + mode,
                          Report.format(r) + "x",
                          r >= ROUND_TRIP_VS_CODEX)));
    }
    for (String mode : modes("backlog")) {
      value("backlog", mode, Measurement.PHISYNC, m -> m.startsWith("@100 / @"))
          .ifPresent(
              r ->
                  out.add(
                      new Verdict(
                          "large backlog >= 1/2 as fast per message as 100 messages",
                          "backlog " + mode,
                          Report.format(r) + "x",
                          r >= BACKLOG_RATIO)));
    }
    for (String mode : modes("workflow")) {
      for (String metric : List.of("chain overhead/step", "fan-out overhead/step")) {
        value("workflow", mode, Measurement.PHISYNC, metric::equals)
            .ifPresent(
                ms ->
                    out.add(
                        new Verdict(
                            "workflow overhead <= "
                                + Report.format(WORKFLOW_OVERHEAD_MS)
                                + " ms per step",
                            "workflow " + mode + " " + metric.replace(" overhead/step", ""),
                            Report.format(ms) + " ms",
                            ms <= WORKFLOW_OVERHEAD_MS)));
      }
    }
    for (String scenario : List.of("one-way-1", "one-way-4")) {
      for (String mode : modes(scenario)) {
        ratio(scenario, mode, "throughput", "camel-file", true)
            .ifPresent(r -> out.add(camel("throughput no lower", scenario, mode, r)));
      }
    }
    for (String scenario : List.of("round-trip", "idle-wakeup")) {
      for (String mode : modes(scenario)) {
        ratio(scenario, mode, "p50", "camel-file", false)
            .ifPresent(r -> out.add(camel("p50 latency no worse", scenario, mode, r)));
      }
    }
    value("cli-startup", "-", Measurement.PHISYNC, m -> m.equals("median wall"))
        .ifPresent(
            ms ->
                out.add(
                    new Verdict(
                        "'phisync send' start-up <= " + Report.format(STARTUP_MS) + " ms",
                        "cli-startup",
                        Report.format(ms) + " ms",
                        ms <= STARTUP_MS)));
    return out;
  }

  /**
   * The raw-fs-kept pipeline against the raw-fs producer alone, as a note: how close a bare
   * consumer that keeps its files comes to the raw rate.
   */
  private String pipelineFloor(String scenario) {
    Optional<Double> kept = value(scenario, "fast", "raw-fs-kept", "throughput"::equals);
    Optional<Double> raw = value(scenario, "fast", "raw-fs", "throughput"::equals);
    return kept.isPresent() && raw.isPresent() && raw.get() > 0
        ? " (a bare pipeline keeping its files, raw-fs-kept: "
            + Report.format(kept.get() / raw.get())
            + "x raw-fs)"
        : "";
  }

  /** The raw-fs reference's p50 in a scenario, as a note: the floor of any file protocol. */
  private String floor(String scenario, String mode) {
    String kept =
        value(scenario, mode, "raw-fs-kept", "p50"::equals)
            .map(ms -> "; " + Report.format(ms) + " ms keeping its files")
            .orElse("");
    return value(scenario, mode, "raw-fs", "p50"::equals)
        .map(ms -> " (raw-fs floor " + Report.format(ms) + " ms" + kept + ")")
        .orElse("");
  }

  private static Verdict camel(String what, String scenario, String mode, double ratio) {
    return new Verdict(
        what + " than Camel's tuned file route",
        scenario + " " + mode,
        Report.format(ratio) + "x camel-file",
        ratio >= 1);
  }

  /**
   * How many times better PhiSync's figure is than {@code reference}'s (above 1: PhiSync better),
   * when both are there.
   */
  private Optional<Double> ratio(
      String scenario, String mode, String metric, String reference, boolean higherIsBetter) {
    Optional<Double> ours = value(scenario, mode, Measurement.PHISYNC, metric::equals);
    Optional<Double> theirs = value(scenario, mode, reference, metric::equals);
    if (ours.isEmpty() || theirs.isEmpty() || ours.get() == 0 || theirs.get() == 0) {
      return Optional.empty();
    }
    return Optional.of(higherIsBetter ? ours.get() / theirs.get() : theirs.get() / ours.get());
  }

  private Optional<Double> value(
      String scenario, String mode, String subject, Predicate<String> metric) {
    return measurements.stream()
        .filter(
            m ->
                m.scenario().equals(scenario)
                    && m.mode().equals(mode)
                    && m.subject().equals(subject)
                    && metric.test(m.metric()))
        .map(Measurement::value)
        .findFirst();
  }

  private Set<String> modes(String scenario) {
    Set<String> modes = new LinkedHashSet<>();
    measurements.stream()
        .filter(m -> m.scenario().equals(scenario))
        .forEach(m -> modes.add(m.mode()));
    return modes;
  }
}
