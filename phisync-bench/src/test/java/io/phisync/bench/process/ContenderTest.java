package io.phisync.bench.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.lock.LockStatus;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import io.phisync.state.Versioned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The contention roles in two real child JVMs on one root. */
@Timeout(240)
class ContenderTest {
  @TempDir Path dir;

  @Test
  void casContenders_loseNoIncrement() throws Exception {
    Path root = dir.resolve("root");
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      phi.init(List.of(AgentName.of("dc")));
    }
    List<ChildResult> results = run("cas", root, 15);

    assertThat(results).allSatisfy(r -> assertThat(r.latenciesMicros()).hasSize(15));
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      Versioned counter = phi.state().get("bench-key").orElseThrow();
      assertThat(java.util.Objects.requireNonNull(counter.value()).path("n").asLong())
          .isEqualTo(30);
    }
  }

  @Test
  void lockContenders_eachAcquireAndReleaseTheirCount() throws Exception {
    Path root = dir.resolve("root");
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      phi.init(List.of(AgentName.of("dc")));
    }
    List<ChildResult> results = run("lock", root, 10);

    assertThat(results).allSatisfy(r -> assertThat(r.count()).isEqualTo(10));
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      assertThat(phi.locks().status("bench-key")).isInstanceOf(LockStatus.Free.class);
    }
  }

  private List<ChildResult> run(String role, Path root, int count) throws Exception {
    List<Child> children = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        children.add(
            Child.start(
                dir.resolve("logs"),
                role,
                Subject.PHISYNC,
                Mode.FAST,
                Map.of("root", root, "name", "bench-key", "count", count)));
      }
      for (Child child : children) {
        child.awaitReady(Duration.ofSeconds(150));
      }
      for (Child child : children) {
        child.go();
      }
      List<ChildResult> results = new ArrayList<>();
      for (Child child : children) {
        results.add(child.awaitResult(Duration.ofSeconds(60)));
      }
      return results;
    } finally {
      children.forEach(Child::close);
    }
  }
}
