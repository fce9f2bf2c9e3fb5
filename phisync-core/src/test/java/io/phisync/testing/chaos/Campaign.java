package io.phisync.testing.chaos;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Injects faults at random instants while a workload runs: seeded, so a failing run is replayed
 * with its printed seed. Counts what each fault did.
 */
public final class Campaign {
  private final long seed;
  private final List<Fault> faults;
  private final Duration meanGap;

  public Campaign(long seed, List<Fault> faults, Duration meanGap) {
    this.seed = seed;
    this.faults = faults;
    this.meanGap = meanGap;
  }

  public long seed() {
    return seed;
  }

  /**
   * Injects faults into {@code agents} until {@code done} says so or {@code deadline} passes;
   * returns how many of each took effect.
   */
  public Map<String, Integer> run(
      Agents agents, java.util.function.BooleanSupplier done, Duration deadline) throws Exception {
    Random random = new Random(seed);
    Map<String, Integer> injected = new LinkedHashMap<>();
    faults.forEach(f -> injected.put(f.name(), 0));
    long end = System.nanoTime() + deadline.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < end) {
      // Random instants: exponential gaps around the mean, so faults also land back to back.
      long gap = (long) (-Math.log(1 - random.nextDouble()) * meanGap.toMillis());
      Thread.sleep(Math.min(gap, 4 * meanGap.toMillis()));
      Fault fault = faults.get(random.nextInt(faults.size()));
      if (fault.inject(agents, random)) {
        injected.merge(fault.name(), 1, Integer::sum);
      }
    }
    return injected;
  }
}
