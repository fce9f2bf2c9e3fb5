package io.phisync.bench.scenario;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample. */
final class Percentiles {
  private final long[] sorted;

  Percentiles(long[] sample) {
    this.sorted = sample.clone();
    Arrays.sort(sorted);
  }

  /** The {@code p}-th percentile ({@code 0 < p <= 100}), or 0 for an empty sample. */
  long at(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    // The epsilon keeps 99.9 % of 1000 at rank 999 despite binary floating point.
    int rank = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }
}
