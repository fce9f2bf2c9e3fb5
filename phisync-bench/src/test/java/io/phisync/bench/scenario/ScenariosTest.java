package io.phisync.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.bench.scenario.Measurement.Better;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ScenariosTest {
  @Test
  void everyScenario_hasAUniqueName_andIsFoundByIt() {
    List<String> names = Scenarios.all().stream().map(Scenario::name).toList();

    assertThat(names)
        .doesNotHaveDuplicates()
        .containsExactly(
            "one-way-1",
            "one-way-4",
            "round-trip",
            "idle-wakeup",
            "backlog",
            "workflow",
            "lock-contention",
            "cas-contention",
            "cli-startup");
    names.forEach(name -> assertThat(Scenarios.named(name)).isPresent());
    assertThat(Scenarios.named("nope")).isEmpty();
  }

  @Test
  void advantage_isAboveOne_whenPhiSyncIsBetter_inEitherDirection() {
    Measurement slowerThroughput =
        new Measurement("s", "fast", "camel-file", "throughput", 50, "msg/s", Better.HIGHER);
    Measurement slowerLatency =
        new Measurement("s", "fast", "codex-polling", "p50", 500, "ms", Better.LOWER);

    assertThat(slowerThroughput.phisyncAdvantage(100)).isEqualTo(2.0);
    assertThat(slowerLatency.phisyncAdvantage(5)).isEqualTo(100.0);
  }

  @Test
  void percentiles_useTheNearestRank() {
    long[] sample = new long[1000];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = sample.length - i;
    }
    Percentiles p = new Percentiles(sample);

    assertThat(p.at(50)).isEqualTo(500);
    assertThat(p.at(99)).isEqualTo(990);
    assertThat(p.at(99.9)).isEqualTo(999);
    assertThat(p.max()).isEqualTo(1000);
    assertThat(new Percentiles(new long[0]).at(50)).isZero();
  }
}
