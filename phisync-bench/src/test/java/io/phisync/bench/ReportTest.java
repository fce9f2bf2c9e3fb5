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
}
