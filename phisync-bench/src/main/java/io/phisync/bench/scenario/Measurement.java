package io.phisync.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One figure: what was measured ({@code subject}: {@code phisync} or a reference), in which
 * scenario and mode, under which metric.
 *
 * @param mode {@code fast}, {@code durable}, or {@code -} when writes do not matter
 * @param better which direction is better, for ratios
 */
public record Measurement(
    String scenario,
    String mode,
    String subject,
    String metric,
    double value,
    String unit,
    Better better) {
  /** The subject every reference is compared with. */
  public static final String PHISYNC = "phisync";

  /** Which direction of a figure is better. */
  public enum Better {
    HIGHER,
    LOWER
  }

  /**
   * How many times better PhiSync's figure is than this one (above 1: PhiSync is better), or NaN
   * for a PhiSync row.
   */
  public double phisyncAdvantage(double phisyncValue) {
    if (subject.equals(PHISYNC) || value == 0 || phisyncValue == 0) {
      return Double.NaN;
    }
    return better == Better.HIGHER ? phisyncValue / value : value / phisyncValue;
  }

  /**
   * One figure per scenario, mode, subject and metric, in the order they first appear: the median
   * of the values {@code runs} gave for it (the mean of the middle two for an even count).
   */
  public static List<Measurement> medians(List<Measurement> runs) {
    Map<List<String>, List<Measurement>> byFigure = new LinkedHashMap<>();
    for (Measurement m : runs) {
      byFigure
          .computeIfAbsent(
              List.of(m.scenario(), m.mode(), m.subject(), m.metric()), k -> new ArrayList<>())
          .add(m);
    }
    List<Measurement> out = new ArrayList<>();
    for (List<Measurement> figure : byFigure.values()) {
      double[] values = figure.stream().mapToDouble(Measurement::value).sorted().toArray();
      int middle = values.length / 2;
      double median =
          values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
      Measurement first = figure.get(0);
      out.add(
          new Measurement(
              first.scenario(),
              first.mode(),
              first.subject(),
              first.metric(),
              median,
              first.unit(),
              first.better()));
    }
    return out;
  }
}
