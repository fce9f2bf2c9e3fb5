package io.phisync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.bench.scenario.Measurement;
import io.phisync.bench.scenario.Measurement.Better;
import io.phisync.protocol.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

@Timeout(10)
class ReportTest {
  private final Report report =
      new Report(
          List.of(
              new Measurement(
                  "one-way-1", "fast", "phisync", "throughput", 3000, "msg/s", Better.HIGHER),
              new Measurement(
                  "one-way-1", "fast", "raw-fs", "throughput", 6000, "msg/s", Better.HIGHER),
              new Measurement(
                  "one-way-1", "durable", "raw-fs", "throughput", 600, "msg/s", Better.HIGHER)),
          true);

  @Test
  void table_showsPhiSyncsAdvantage_onReferenceRowsOfTheSameModeOnly() {
    StringWriter text = new StringWriter();
    report.printTable(new PrintWriter(text, true));

    List<String> lines = text.toString().lines().toList();
    assertThat(lines.get(0)).startsWith("scenario").endsWith("phisync vs this");
    assertThat(lines.get(1)).contains("phisync").contains("3,000").doesNotEndWith("x");
    assertThat(lines.get(2)).contains("raw-fs").endsWith("0.50x");
    assertThat(lines.get(3)).contains("durable").endsWith("msg/s");
  }

  @Test
  void json_carriesEveryMeasurement_andTheRatio(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("out/bench.json");
    report.writeJson(file);

    JsonNode root = Json.parse(Files.readString(file));
    assertThat(root.path("quick").asBoolean()).isTrue();
    assertThat(root.path("measurements")).hasSize(3);
    assertThat(root.path("measurements").get(1).path("phisyncAdvantage").asDouble()).isEqualTo(0.5);
    assertThat(root.path("measurements").get(2).has("phisyncAdvantage")).isFalse();
    assertThat(root.path("targets")).hasSize(1);
    assertThat(root.path("targets").get(0).path("where").asString()).isEqualTo("one-way-1 fast");
    assertThat(root.path("targets").get(0).path("met").asBoolean()).isTrue(); // 0.5x raw-fs
  }

  @Test
  void unknownScenario_isAUsageError_namingIt() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        BenchMain.run(
            java.util.Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "--scenario",
            "nope");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown scenario 'nope'");
  }

  @Test
  void list_namesTheScenarios() {
    StringWriter out = new StringWriter();
    int code =
        BenchMain.run(
            java.util.Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter()),
            "--list");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("one-way-4").contains("cli-startup");
  }

  @Test
  void repeatedRuns_areReportedAsMedians_andSaySo(@TempDir Path dir) throws Exception {
    List<Measurement> runs =
        List.of(
            m("one-way-1", "phisync", 3000),
            m("one-way-1", "raw-fs", 9000),
            m("one-way-1", "phisync", 1000),
            m("one-way-1", "raw-fs", 6000),
            m("one-way-1", "phisync", 2000),
            m("one-way-1", "raw-fs", 4000));
    Report repeated = new Report(Measurement.medians(runs), false, 3);

    StringWriter text = new StringWriter();
    repeated.printTable(new PrintWriter(text, true));
    List<String> lines = text.toString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Each figure is the median of 3 runs of its scenario.");
    assertThat(lines.get(2)).contains("phisync").contains("2,000");
    assertThat(lines.get(3)).contains("raw-fs").contains("6,000").endsWith("0.33x");
    Path file = dir.resolve("bench.json");
    repeated.writeJson(file);
    assertThat(Json.parse(Files.readString(file)).path("runs").asInt()).isEqualTo(3);
  }

  @Test
  void medians_keepEachFiguresFirstPlace_andAverageTheMiddleTwoOfAnEvenCount() {
    List<Measurement> medians =
        Measurement.medians(
            List.of(
                m("one-way-1", "phisync", 10),
                m("one-way-4", "phisync", 7),
                m("one-way-1", "phisync", 30),
                m("one-way-4", "phisync", 1),
                m("one-way-1", "phisync", 20),
                m("one-way-1", "phisync", 100)));

    assertThat(medians)
        .extracting(Measurement::scenario, Measurement::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("one-way-1", 25.0),
            org.assertj.core.groups.Tuple.tuple("one-way-4", 4.0));
  }

  @Test
  void aRepeatBelowOne_isAUsageError_namingIt() {
    StringWriter err = new StringWriter();
    int code =
        BenchMain.run(
            java.util.Map.of(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--repeat",
            "0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--repeat must be 1 or more, not 0");
  }

  private static Measurement m(String scenario, String subject, double value) {
    return new Measurement(scenario, "fast", subject, "throughput", value, "msg/s", Better.HIGHER);
  }
}
