package io.phisync.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.PhiSync;
import io.phisync.spi.Durability;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.IntNode;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamsTest {
  @TempDir Path root;
  private PhiSync phi;
  private Streams streams;

  /** The sum of the events' data: a fold whose result shows which events went in. */
  private final Projection<Long> sum =
      new Projection<>(0L, (total, event) -> total + event.data().asLong(), Long.class);

  @BeforeEach
  void open() {
    phi = PhiSync.builder(root).durability(Durability.FAST).streams(new StreamOptions(4, 2)).open();
    phi.init(List.of());
    streams = phi.streams();
  }

  @AfterEach
  void close() {
    phi.close();
  }

  private static List<NewEvent> events(int... values) {
    return java.util.Arrays.stream(values)
        .mapToObj(v -> new NewEvent("added", IntNode.valueOf(v)))
        .toList();
  }

  @Test
  void append_withTheExpectedVersion_returnsTheNewVersion() {
    assertThat(streams.append("orders", events(1, 2), Streams.NO_STREAM)).isEqualTo(2);
    assertThat(streams.append("orders", events(3), 2)).isEqualTo(3);
    assertThat(streams.version("orders")).isEqualTo(3);
  }

  @Test
  void append_withAnotherVersion_reportsTheActualOne_andAppendsNothing() {
    streams.append("orders", events(1, 2), Streams.NO_STREAM);

    assertThatThrownBy(() -> streams.append("orders", events(9), 1))
        .isInstanceOf(WrongExpectedVersionException.class)
        .hasMessageContaining("at version 2, not the expected 1")
        .satisfies(e -> assertThat(((WrongExpectedVersionException) e).actual()).isEqualTo(2));
    assertThat(streams.version("orders")).isEqualTo(2);
  }

  @Test
  void append_any_appendsWhereverTheStreamIs() {
    streams.append("orders", events(1), Streams.ANY);
    assertThat(streams.append("orders", events(2), Streams.ANY)).isEqualTo(2);
  }

  @Test
  void read_fromAVersion_returnsThatEventAndLaterOnes_inOrder() {
    streams.append("orders", events(1, 2), Streams.NO_STREAM);
    streams.append("orders", events(3, 4, 5), 2);

    assertThat(streams.read("orders", 2, 100))
        .extracting(StreamEvent::version)
        .containsExactly(2L, 3L, 4L, 5L);
    assertThat(streams.read("orders", 2, 2))
        .extracting(e -> e.data().asInt())
        .containsExactly(2, 3);
    assertThat(streams.read("orders", 6, 100)).isEmpty();
    assertThat(streams.read("nothing", 1, 100)).isEmpty();
  }

  @Test
  void rebuild_foldsEverything_thenStartsFromTheSnapshotItStored() {
    streams.append("orders", events(1, 2, 3, 4, 5), Streams.NO_STREAM);

    Rebuilt<Long> first = streams.rebuild("orders", sum);

    assertThat(first).isEqualTo(new Rebuilt<>(15L, 5, 0));
    assertThat(root.resolve("shared/state/snapshots/orders/snapshot-000000000005.json")).exists();
    streams.append("orders", events(10), 5);
    assertThat(streams.rebuild("orders", sum)).isEqualTo(new Rebuilt<>(25L, 6, 5));
  }

  @Test
  void rebuild_belowTheSnapshotInterval_storesNone() {
    streams.append("orders", events(1, 2), Streams.NO_STREAM);

    streams.rebuild("orders", sum);

    assertThat(streams.latestSnapshot("orders")).isEmpty();
  }

  @Test
  void snapshot_beyondTheStream_isRefused() {
    streams.append("orders", events(1), Streams.NO_STREAM);

    assertThatThrownBy(() -> streams.snapshot("orders", 2, IntNode.valueOf(0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void names_listStreamsWithEvents() {
    streams.append("b", events(1), Streams.ANY);
    streams.append("a/x", events(1), Streams.ANY);

    assertThat(streams.names()).containsExactly("a/x", "b");
  }
}
