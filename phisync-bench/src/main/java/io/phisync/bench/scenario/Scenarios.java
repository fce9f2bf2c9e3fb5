package io.phisync.bench.scenario;

import java.util.List;
import java.util.Optional;

/** Every scenario, in the order a full run takes them: the one place to register a new one. */
public final class Scenarios {
  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(
        new OneWayScenario(1),
        new OneWayScenario(4),
        new RoundTripScenario(),
        new IdleWakeupScenario(),
        new BacklogScenario(),
        new WorkflowScenario(),
        new ContentionScenario(true),
        new ContentionScenario(false),
        new StartupScenario());
  }

  public static Optional<Scenario> named(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
