package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.events.Event;
import io.phisync.events.EventFilter;
import io.phisync.events.Severity;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.TopicName;
import io.phisync.spi.Durability;
import io.phisync.state.CasResult;
import io.phisync.state.Expect;
import io.phisync.state.Versioned;
import io.phisync.stream.NewEvent;
import io.phisync.stream.StreamEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.StringNode;

/**
 * Crash points in the capabilities' writes: a state compare-and-set (revision temp written,
 * revision linked, committed, plain-file temp written, plain file replaced), a stream append
 * (commit temp written, linked, committed) and an event publish (temp written, linked). A child JVM
 * is halted ({@code Runtime.halt}) at the point; on restart the key, stream or topic holds the old
 * state or the new one, never a corrupt one, every JSON file parses, what returned is there, and
 * the next write goes through.
 */
class CapabilityCrashPointsTest {
  static final String KEY = "crash/k";
  static final String STREAM = "crash-s";
  static final String TOPIC = "crash";

  @TempDir Path dir;

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of("cas", "createNew.tempWritten"),
        Arguments.of("cas", "createNew.linked"),
        Arguments.of("cas", "state.committed"),
        Arguments.of("cas", "replace.tempWritten"),
        Arguments.of("cas", "state.viewWritten"),
        Arguments.of("cas", "none"),
        Arguments.of("append", "createNew.tempWritten"),
        Arguments.of("append", "createNew.linked"),
        Arguments.of("append", "streams.committed"),
        Arguments.of("append", "none"),
        Arguments.of("publish", "event.tempWritten"),
        Arguments.of("publish", "event.linked"),
        Arguments.of("publish", "none"));
  }

  @ParameterizedTest(name = "{0} halted at {1}")
  @MethodSource("points")
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void haltedAtEachStep_leavesOldOrNewState(String op, String point) throws Exception {
    Path root = dir.resolve("root");
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      phi.init(List.of(AgentName.of("dc")));
      phi.state().put(KEY, StringNode.valueOf("old"));
      phi.streams().append(STREAM, List.of(new NewEvent("first", StringNode.valueOf("old"))), 0);
      phi.events().publish(TopicName.of(TOPIC), AgentName.of("dc"), "before", Severity.INFO, null);
    }
    Path result = dir.resolve("result");
    Process child = CrashRuns.runToEnd(CapabilityCrashChild.class, point, dir, root, op, result);
    boolean none = point.equals("none");
    assertThat(child.exitValue())
        .as("exit status; log: %s", log())
        .isEqualTo(none ? 0 : CrashPoints.HALT_STATUS);
    boolean returned = Files.exists(result);
    assertThat(returned).as("returned").isEqualTo(none);

    CrashPointsTest.assertEveryFileParses(root);
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      switch (op) {
        case "cas" -> {
          Versioned v = phi.state().get(KEY).orElseThrow();
          assertThat(v.revision()).as("revision").isIn(1L, 2L);
          assertThat(v.valueOrThrow().asString()).isEqualTo(v.revision() == 1 ? "old" : "new");
          if (returned) {
            assertThat(v.revision()).as("a returned CAS is kept").isEqualTo(2);
          }
          Path view = root.resolve("shared/state/crash/k.json");
          assertThat(Json.parse(Files.readString(view, StandardCharsets.UTF_8)).asString())
              .as("the plain file: old or new")
              .isIn("old", "new");
          CasResult next =
              phi.state()
                  .compareAndSet(KEY, Expect.revision(v.revision()), StringNode.valueOf("next"));
          assertThat(next.committed()).as("the next CAS commits").isTrue();
          assertThat(Json.parse(Files.readString(view, StandardCharsets.UTF_8)).asString())
              .as("the plain file after the next write")
              .isEqualTo("next");
        }
        case "append" -> {
          long version = phi.streams().version(STREAM);
          assertThat(version).isIn(1L, 2L);
          if (returned) {
            assertThat(version).as("a returned append is kept").isEqualTo(2);
          }
          List<StreamEvent> events = phi.streams().read(STREAM, 1, 10);
          assertThat(events).hasSize((int) version);
          assertThat(events.get(0).type()).isEqualTo("first");
          if (version == 2) {
            assertThat(events.get(1).data().asString()).isEqualTo("new");
          }
          assertThat(
                  phi.streams()
                      .append(STREAM, List.of(new NewEvent("third", Json.object())), version))
              .isEqualTo(version + 1);
        }
        default -> {
          List<Event> events = phi.events().list(EventFilter.all(), null, 100);
          List<String> types = events.stream().map(Event::eventType).toList();
          assertThat(types).as("events").isIn(List.of("before"), List.of("before", "crashed"));
          if (returned) {
            assertThat(events.get(events.size() - 1).id())
                .isEqualTo(Files.readString(result, StandardCharsets.UTF_8));
          }
          Event after =
              phi.events()
                  .publish(TopicName.of(TOPIC), AgentName.of("dc"), "after", Severity.INFO, null);
          assertThat(after.sequence()).isEqualTo(events.size() + 1L);
          assertThat(Set.copyOf(phi.events().list(EventFilter.all(), null, 100)))
              .hasSize(events.size() + 1);
        }
      }
      CrashPointsTest.assertEveryFileParses(root);
    }
  }

  private String log() throws IOException {
    Path log = dir.resolve("child.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
