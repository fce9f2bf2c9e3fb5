package io.phisync.bench.scenario;

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
}
