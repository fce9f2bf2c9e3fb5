package io.phisync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.PhiSync;
import io.phisync.protocol.InvalidNameException;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import io.phisync.spi.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StateStoreTest {
  @TempDir Path root;
  private final MutableClock clock = MutableClock.startingNow();
  private PhiSync phi;
  private StateStore state;

  @BeforeEach
  void open() {
    phi =
        PhiSync.builder(root)
            .durability(Durability.FAST)
            .clock(clock)
            .state(new StateOptions(3))
            .open();
    phi.init(List.of());
    state = phi.state();
  }

  @AfterEach
  void close() {
    phi.close();
  }

  private static JsonNode value(String json) {
    return Json.parse(json);
  }

  @Nested
  class GetAndPut {
    @Test
    void get_absent_isEmpty() {
      assertThat(state.get("nothing")).isEmpty();
    }

    @Test
    void put_thenGet_returnsTheValueAtRevisionOne() {
      Versioned written = state.put("config/db", value("{\"host\":\"db1\"}"));

      assertThat(written.revision()).isEqualTo(1);
      assertThat(written.committed()).isEqualTo(clock.instant());
      assertThat(state.get("config/db")).contains(written);
      assertThat(state.get("config/db").orElseThrow().value())
          .isEqualTo(value("{\"host\":\"db1\"}"));
    }

    @Test
    void everyWrite_addsOneRevision() {
      state.put("k", IntNode.valueOf(1));
      state.put("k", IntNode.valueOf(2));

      assertThat(state.put("k", IntNode.valueOf(3)).revision()).isEqualTo(3);
    }

    @Test
    void plainFile_holdsJustTheLatestValue() throws Exception {
      state.put("config/db", value("{\"host\":\"db1\"}"));
      state.put("config/db", value("{\"host\":\"db2\"}"));

      Path plain = root.resolve("shared/state/config/db.json");
      assertThat(Json.parse(Files.readString(plain))).isEqualTo(value("{\"host\":\"db2\"}"));
    }

    @Test
    void badKey_isRefusedNamingTheRule() {
      assertThatThrownBy(() -> state.put("../etc/passwd", IntNode.valueOf(1)))
          .isInstanceOf(InvalidNameException.class)
          .hasMessageContaining("'/'-separated segments");
      assertThatThrownBy(() -> state.put("Config", IntNode.valueOf(1)))
          .isInstanceOf(InvalidNameException.class);
      assertThatThrownBy(() -> state.get("a.json")).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void snapshotsNamespace_isReserved() {
      assertThatThrownBy(() -> state.put("snapshots/x", IntNode.valueOf(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reserved");
    }
  }

  @Nested
  class CompareAndSet {
    @Test
    void expectAbsent_onAbsentKey_commitsRevisionOne() {
      CasResult result = state.compareAndSet("k", Expect.absent(), IntNode.valueOf(1));

      assertThat(result).isInstanceOf(CasResult.Committed.class);
      assertThat(((CasResult.Committed) result).revision().revision()).isEqualTo(1);
    }

    @Test
    void expectAbsent_onPresentKey_returnsTheCurrentRevisionAndValue() {
      state.put("k", IntNode.valueOf(7));

      CasResult result = state.compareAndSet("k", Expect.absent(), IntNode.valueOf(1));

      assertThat(result).isInstanceOf(CasResult.Conflict.class);
      CasResult.Conflict conflict = (CasResult.Conflict) result;
      assertThat(conflict.currentRevision()).isEqualTo(1);
      assertThat(conflict.currentValue().orElseThrow().value()).isEqualTo(IntNode.valueOf(7));
    }

    @Test
    void expectRevision_matching_commits_stale_conflicts() {
      Versioned v1 = state.put("k", IntNode.valueOf(1));
      assertThat(
              state
                  .compareAndSet("k", Expect.revision(v1.revision()), IntNode.valueOf(2))
                  .committed())
          .isTrue();

      CasResult stale =
          state.compareAndSet("k", Expect.revision(v1.revision()), IntNode.valueOf(3));

      assertThat(stale).isInstanceOf(CasResult.Conflict.class);
      assertThat(((CasResult.Conflict) stale).currentRevision()).isEqualTo(2);
      assertThat(state.get("k").orElseThrow().value()).isEqualTo(IntNode.valueOf(2));
    }

    @Test
    void expectRevisionZero_meansNoRevisionsAtAll() {
      assertThat(state.compareAndSet("k", Expect.revision(0), IntNode.valueOf(1)).committed())
          .isTrue();
      assertThat(state.compareAndSet("k", Expect.revision(0), IntNode.valueOf(1)).committed())
          .isFalse();
    }

    @Test
    void update_appliesTheFunctionToTheCurrentValue() {
      for (int i = 0; i < 5; i++) {
        state.update("counter", v -> IntNode.valueOf(v == null ? 1 : v.asInt() + 1));
      }

      assertThat(state.get("counter").orElseThrow().valueOrThrow().asInt()).isEqualTo(5);
    }
  }

  @Nested
  class Delete {
    @Test
    void delete_writesATombstone_andTheKeyIsAbsentAgain() {
      state.put("k", IntNode.valueOf(1));

      CasResult deleted = state.delete("k", Expect.any(), null);

      assertThat(deleted.committed()).isTrue();
      assertThat(state.get("k")).isEmpty();
      assertThat(root.resolve("shared/state/k.json")).doesNotExist();
      assertThat(state.history("k", 10))
          .extracting(Versioned::deleted)
          .containsExactly(false, true);
      CasResult again = state.compareAndSet("k", Expect.absent(), IntNode.valueOf(2));
      assertThat(((CasResult.Committed) again).revision().revision()).isEqualTo(3);
    }

    @Test
    void delete_ofAnAbsentKey_isAConflict() {
      assertThat(state.delete("k", Expect.any(), null)).isInstanceOf(CasResult.Conflict.class);
    }
  }

  @Nested
  class HistoryAndList {
    @Test
    void history_keepsTheLastKRevisions_oldestFirst() {
      for (int i = 1; i <= 6; i++) {
        state.put("k", IntNode.valueOf(i));
      }

      assertThat(state.history("k", 10))
          .extracting(Versioned::revision)
          .containsExactly(4L, 5L, 6L);
      assertThat(state.history("k", 2)).extracting(Versioned::revision).containsExactly(5L, 6L);
      assertThat(root.resolve("shared/state/k.revs"))
          .isDirectoryContaining("glob:**rev-000000000006.json");
    }

    @Test
    void list_byPrefix_returnsLiveKeysInOrder() {
      state.put("config/b", IntNode.valueOf(2));
      state.put("config/a", IntNode.valueOf(1));
      state.put("other", IntNode.valueOf(3));
      state.put("config/gone", IntNode.valueOf(4));
      state.delete("config/gone", Expect.any(), null);

      assertThat(state.list("config/"))
          .extracting(Versioned::key)
          .containsExactly("config/a", "config/b");
      assertThat(state.list("")).hasSize(3);
    }
  }

  @Nested
  class Fencing {
    @Test
    void aLowerTokenThanOneCommitted_isRefused() {
      state.put("k", IntNode.valueOf(1), 5);

      CasResult result = state.compareAndSet("k", Expect.any(), IntNode.valueOf(2), 4L);

      assertThat(result).isInstanceOf(CasResult.Fenced.class);
      assertThat(((CasResult.Fenced) result).highestToken()).isEqualTo(5);
      assertThatThrownBy(() -> state.put("k", IntNode.valueOf(2), 3))
          .isInstanceOf(FencedWriteException.class)
          .hasMessageContaining("token 3 is lower than 5");
      assertThat(state.get("k").orElseThrow().value()).isEqualTo(IntNode.valueOf(1));
    }

    @Test
    void theHighestToken_survivesUnfencedWritesAndPruning() {
      state.put("k", IntNode.valueOf(1), 9);
      for (int i = 0; i < 5; i++) {
        state.put("k", IntNode.valueOf(i));
      }

      assertThatThrownBy(() -> state.put("k", IntNode.valueOf(2), 8))
          .isInstanceOf(FencedWriteException.class);
      assertThat(state.put("k", IntNode.valueOf(2), 9).fencingToken()).isEqualTo(9);
      assertThat(state.put("k", IntNode.valueOf(3), 10).fencingToken()).isEqualTo(10);
    }
  }

  @Nested
  class Watch {
    @Test
    void watch_returnsEachLaterRevisionInOrder() throws Exception {
      state.put("k", IntNode.valueOf(0));
      try (StateWatch watch = state.watch("k")) {
        assertThat(watch.next(Duration.ZERO)).isEmpty();
        state.put("k", IntNode.valueOf(1));
        state.put("k", IntNode.valueOf(2));

        assertThat(watch.next(Duration.ofSeconds(5)).orElseThrow().valueOrThrow().asInt())
            .isEqualTo(1);
        assertThat(watch.next(Duration.ofSeconds(5)).orElseThrow().valueOrThrow().asInt())
            .isEqualTo(2);
      }
    }

    @Test
    void watch_wakesWhenAnotherThreadWrites() throws Exception {
      try (StateWatch watch = state.watch("k")) {
        Thread writer = new Thread(() -> state.put("k", IntNode.valueOf(42)));
        writer.start();

        assertThat(watch.next(Duration.ofSeconds(10)).orElseThrow().valueOrThrow().asInt())
            .isEqualTo(42);
        writer.join();
      }
    }
  }
}
