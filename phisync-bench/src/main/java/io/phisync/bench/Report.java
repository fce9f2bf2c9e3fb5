package io.phisync.bench;

import io.phisync.bench.scenario.Measurement;
import io.phisync.protocol.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The results of one run: a table with, on every reference row, how many times better PhiSync is
 * (above 1: better), and the same as JSON.
 */
final class Report {
  private static final String[] HEADER = {
    "scenario", "mode", "subject", "metric", "value", "unit", "phisync vs this"
  };

  private final List<Measurement> measurements;
  private final boolean quick;
  private final int runs;

  Report(List<Measurement> measurements, boolean quick) {
    this(measurements, quick, 1);
  }

  /** {@code runs}: how many runs of each scenario every figure is the median of. */
  Report(List<Measurement> measurements, boolean quick, int runs) {
    this.measurements = List.copyOf(measurements);
    this.quick = quick;
    this.runs = runs;
  }

  /** PhiSync's figure for the same scenario, mode and metric, or NaN. */
  double phisyncAdvantage(Measurement m) {
    return measurements.stream()
        .filter(
            p ->
                p.subject().equals(Measurement.PHISYNC)
                    && p.scenario().equals(m.scenario())
                    && p.mode().equals(m.mode())
                    && p.metric().equals(m.metric()))
        .findFirst()
        .map(p -> m.phisyncAdvantage(p.value()))
        .orElse(Double.NaN);
  }

  void printTable(PrintWriter out) {
    if (runs > 1) {
      out.println("Each figure is the median of " + runs + " runs of its scenario.");
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Measurement m : measurements) {
      double advantage = phisyncAdvantage(m);
      rows.add(
          new String[] {
            m.scenario(),
            m.mode(),
            m.subject(),
            m.metric(),
            format(m.value()),
            m.unit(),
            Double.isNaN(advantage) ? "" : format(advantage) + "x"
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell =
            i == 4 || i == 6 ? pad(row[i], widths[i], true) : pad(row[i], widths[i], false);
        line.append(cell).append(i + 1 < row.length ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /**
   * The targets of issue 7 this run has figures for, one line each: {@code met} or {@code MISSED},
   * where, what was measured and the target. Nothing when no scenario with a target ran.
   */
  void printTargets(PrintWriter out) {
    List<Targets.Verdict> verdicts = new Targets(measurements).verdicts();
    if (verdicts.isEmpty()) {
      return;
    }
    out.println();
    out.println(
        "Targets (issue 7)"
            + (quick ? ", at --quick sizes (indicative only)" : "")
            + "; on a loaded machine a miss may be the machine's:");
    int where = verdicts.stream().mapToInt(v -> v.where().length()).max().orElse(0);
    int measured = verdicts.stream().mapToInt(v -> v.measured().length()).max().orElse(0);
    for (Targets.Verdict v : verdicts) {
      out.println(
          (v.met() ? "  met     " : "  MISSED  ")
              + pad(v.where(), where, false)
              + "  "
              + pad(v.measured(), measured, true)
              + "  target: "
              + v.target());
    }
  }

  void writeJson(Path file) throws IOException {
    ObjectNode root = Json.object();
    root.put("generated", OffsetDateTime.now().toString());
    root.put("quick", quick);
    root.put("runs", runs);
    root.put("java", System.getProperty("java.version"));
    root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    root.put("cores", Runtime.getRuntime().availableProcessors());
    ArrayNode rows = root.putArray("measurements");
    for (Measurement m : measurements) {
      ObjectNode row = rows.addObject();
      row.put("scenario", m.scenario());
      row.put("mode", m.mode());
      row.put("subject", m.subject());
      row.put("metric", m.metric());
      row.put("value", m.value());
      row.put("unit", m.unit());
      row.put("better", m.better().name().toLowerCase(Locale.ROOT));
      double advantage = phisyncAdvantage(m);
      if (!Double.isNaN(advantage)) {
        row.put("phisyncAdvantage", advantage);
      }
    }
    ArrayNode targets = root.putArray("targets");
    for (Targets.Verdict v : new Targets(measurements).verdicts()) {
      ObjectNode row = targets.addObject();
      row.put("target", v.target());
      row.put("where", v.where());
      row.put("measured", v.measured());
      row.put("met", v.met());
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, Json.pretty(root) + "\n", StandardCharsets.UTF_8);
  }

  static String format(double value) {
    double abs = Math.abs(value);
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String pad(String text, int width, boolean right) {
    String spaces = " ".repeat(width - text.length());
    return right ? spaces + text : text + spaces;
  }
}
