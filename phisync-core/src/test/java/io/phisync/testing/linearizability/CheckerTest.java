package io.phisync.testing.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.testing.linearizability.VersionedRegister.Cas;
import io.phisync.testing.linearizability.VersionedRegister.Input;
import io.phisync.testing.linearizability.VersionedRegister.Output;
import io.phisync.testing.linearizability.VersionedRegister.Read;
import io.phisync.testing.linearizability.VersionedRegister.Write;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CheckerTest {
  private static final String K = "k";

  private static Operation<Input, Output> op(int p, Input in, Output out, long call, long ret) {
    return Operation.of(p, in, out, call, ret);
  }

  private static Result check(List<Operation<Input, Output>> history) {
    return Checker.check(VersionedRegister.MODEL, history);
  }

  @Test
  void sequentialHistory_isLinearizable() {
    assertThat(
            check(
                    List.of(
                        op(0, new Write(K, "a"), Output.written(1), 0, 1),
                        op(0, new Read(K), Output.read(1, "a"), 2, 3),
                        op(1, new Cas(K, 1, "b"), Output.written(2), 4, 5),
                        op(1, new Cas(K, 1, "c"), Output.conflict(2), 6, 7),
                        op(0, new Read(K), Output.read(2, "b"), 8, 9)))
                .linearizable())
        .isTrue();
  }

  @Test
  void staleReadAfterAWriteReturned_isNot() {
    Result result =
        check(
            List.of(
                op(0, new Write(K, "a"), Output.written(1), 0, 1),
                op(1, new Read(K), Output.read(0, null), 2, 3)));
    assertThat(result.linearizable()).isFalse();
    assertThat(result.key()).isEqualTo(K);
  }

  @Test
  void readConcurrentWithAWrite_mayReturnEitherValue() {
    for (Output seen : List.of(Output.read(0, null), Output.read(1, "a"))) {
      assertThat(
              check(
                      List.of(
                          op(0, new Write(K, "a"), Output.written(1), 0, 10),
                          op(1, new Read(K), seen, 2, 3)))
                  .linearizable())
          .isTrue();
    }
  }

  @Test
  void readsThatDisagreeOnTheOrderOfTwoConcurrentWrites_areNot() {
    // Two writes overlap everything; one reader sees b then a, with a at revision 1 and b at 2:
    // a read of revision 2 followed (strictly later) by a read of revision 1 goes back in time.
    assertThat(
            check(
                    List.of(
                        op(0, new Write(K, "a"), Output.written(1), 0, 100),
                        op(1, new Write(K, "b"), Output.written(2), 0, 100),
                        op(2, new Read(K), Output.read(2, "b"), 10, 20),
                        op(3, new Read(K), Output.read(1, "a"), 30, 40)))
                .linearizable())
        .isFalse();
  }

  @Test
  void twoCasAtTheSameRevisionBothSucceeding_isNot() {
    assertThat(
            check(
                    List.of(
                        op(0, new Cas(K, 0, "a"), Output.written(1), 0, 10),
                        op(1, new Cas(K, 0, "b"), Output.written(1), 0, 10)))
                .linearizable())
        .isFalse();
  }

  @Test
  void twoConcurrentCas_oneWinsOneSeesTheWinner_is() {
    assertThat(
            check(
                    List.of(
                        op(0, new Cas(K, 0, "a"), Output.written(1), 0, 10),
                        op(1, new Cas(K, 0, "b"), Output.conflict(1), 0, 10),
                        op(2, new Read(K), Output.read(1, "a"), 11, 12)))
                .linearizable())
        .isTrue();
  }

  @Test
  void failedCasReportingARevisionThatNeverExisted_isNot() {
    assertThat(check(List.of(op(0, new Cas(K, 5, "a"), Output.conflict(3), 0, 10))).linearizable())
        .isFalse();
  }

  @Test
  void readOfAValueNeverWritten_isNot() {
    assertThat(
            check(
                    List.of(
                        op(0, new Write(K, "a"), Output.written(1), 0, 10),
                        op(1, new Read(K), Output.read(1, "z"), 0, 10)))
                .linearizable())
        .isFalse();
  }

  @Test
  void readOfAWriteThatStartedAfterTheReadReturned_isNot() {
    assertThat(
            check(
                    List.of(
                        op(1, new Read(K), Output.read(1, "a"), 0, 5),
                        op(0, new Write(K, "a"), Output.written(1), 6, 10)))
                .linearizable())
        .isFalse();
  }

  @Test
  void operationsThatTouch_countAsConcurrent() {
    assertThat(
            check(
                    List.of(
                        op(0, new Write(K, "a"), Output.written(1), 0, 5),
                        op(1, new Read(K), Output.read(0, null), 5, 9)))
                .linearizable())
        .isTrue();
  }

  @Test
  void pendingWrite_mayHaveTakenEffectOrNot() {
    Operation<Input, Output> crashed = Operation.pending(0, new Cas(K, 0, "a"), 0);
    assertThat(
            check(List.of(crashed, op(1, new Read(K), Output.read(1, "a"), 5, 6))).linearizable())
        .isTrue();
    assertThat(
            check(List.of(crashed, op(1, new Read(K), Output.read(0, null), 5, 6))).linearizable())
        .isTrue();
  }

  @Test
  void pendingWriteSeenAndThenUnseen_isNot() {
    assertThat(
            check(
                    List.of(
                        Operation.pending(0, new Cas(K, 0, "a"), 0),
                        op(1, new Read(K), Output.read(1, "a"), 5, 6),
                        op(1, new Read(K), Output.read(0, null), 7, 8)))
                .linearizable())
        .isFalse();
  }

  @Test
  void eachKeyIsCheckedOnItsOwn_andTheBadOneIsNamed() {
    Result result =
        check(
            List.of(
                op(0, new Write("good", "a"), Output.written(1), 0, 1),
                op(0, new Read("good"), Output.read(1, "a"), 2, 3),
                op(1, new Write("bad", "a"), Output.written(1), 0, 1),
                op(1, new Read("bad"), Output.read(0, null), 2, 3)));
    assertThat(result.linearizable()).isFalse();
    assertThat(result.key()).isEqualTo("bad");
  }

  /** Executions of the model itself, each operation's interval widened around its real effect. */
  @Property(tries = 200)
  void widenedSequentialExecutions_areLinearizable(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int size) {
    assertThat(check(execution(new Random(seed), size)).linearizable()).isTrue();
  }

  @Property(tries = 200)
  void aReadOfAValueNobodyWrote_isAlwaysCaught(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int size) {
    List<Operation<Input, Output>> history = new ArrayList<>(execution(new Random(seed), size));
    history.add(op(9, new Read("k0"), Output.read(1, "never-written"), 0, Long.MAX_VALUE - 1));
    assertThat(check(history).linearizable()).isFalse();
  }

  private static List<Operation<Input, Output>> execution(Random random, int size) {
    VersionedRegister model = VersionedRegister.MODEL;
    java.util.Map<String, VersionedRegister.State> states = new java.util.HashMap<>();
    List<Operation<Input, Output>> history = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String key = "k" + random.nextInt(3);
      VersionedRegister.State s = states.getOrDefault(key, model.initial());
      Input in;
      Output out;
      switch (random.nextInt(3)) {
        case 0 -> {
          in = new Read(key);
          out = Output.read(s.revision(), s.value());
        }
        case 1 -> {
          in = new Write(key, "v" + i);
          out = Output.written(s.revision() + 1);
        }
        default -> {
          long expected = s.revision() - random.nextInt(2);
          in = new Cas(key, expected, "v" + i);
          out =
              expected == s.revision()
                  ? Output.written(s.revision() + 1)
                  : Output.conflict(s.revision());
        }
      }
      states.put(key, model.step(s, in, out).orElseThrow());
      long at = 100L * (i + 1);
      history.add(op(i % 8, in, out, at - random.nextInt(250), at + random.nextInt(250)));
    }
    return history;
  }

  /** A real concurrent object (an AtomicReference per key), 8 threads on 3 keys, recorded. */
  @Test
  void eightThreadsOnThreeKeysOfAnAtomicStore_areLinearizable(@TempDir Path dir) throws Exception {
    List<AtomicReference<VersionedRegister.State>> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keys.add(new AtomicReference<>(VersionedRegister.MODEL.initial()));
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      int process = p;
      Path file = dir.resolve("p" + p + ".jsonl");
      files.add(file);
      Thread thread =
          new Thread(
              () -> {
                Random random = new Random(process);
                try (HistoryRecorder recorder = new HistoryRecorder(file, process)) {
                  start.await();
                  for (int i = 0; i < 150; i++) {
                    int k = random.nextInt(3);
                    AtomicReference<VersionedRegister.State> ref = keys.get(k);
                    boolean read = random.nextBoolean();
                    long expected = java.util.Objects.requireNonNull(ref.get()).revision();
                    Input in =
                        read
                            ? new Read("k" + k)
                            : new Cas("k" + k, expected, "p" + process + "-" + i);
                    long id = recorder.call(VersionedRegister.toJson(in));
                    Output out;
                    if (read) {
                      VersionedRegister.State s = java.util.Objects.requireNonNull(ref.get());
                      out = Output.read(s.revision(), s.value());
                    } else {
                      VersionedRegister.State s = java.util.Objects.requireNonNull(ref.get());
                      VersionedRegister.State next =
                          new VersionedRegister.State(s.revision() + 1, ((Cas) in).value());
                      out =
                          s.revision() == expected && ref.compareAndSet(s, next)
                              ? Output.written(next.revision())
                              : Output.conflict(
                                  java.util.Objects.requireNonNull(ref.get()).revision());
                    }
                    recorder.returned(id, VersionedRegister.toJson(out));
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread t : threads) {
      t.join(30_000);
    }
    List<Operation<Input, Output>> history =
        History.read(files, VersionedRegister::input, VersionedRegister::output);
    assertThat(history).hasSize(8 * 150);
    Result result = check(history);
    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void history_readsPendingCallsAndSkipsATornLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p0.jsonl");
    try (HistoryRecorder recorder = new HistoryRecorder(file, 0)) {
      long a = recorder.call(VersionedRegister.toJson(new Write(K, "a")));
      recorder.returned(a, VersionedRegister.toJson(Output.written(1)));
      recorder.call(VersionedRegister.toJson(new Cas(K, 1, "b")));
    }
    Files.writeString(file, "{\"event\":\"ret", java.nio.file.StandardOpenOption.APPEND);
    List<Operation<Input, Output>> ops =
        History.read(List.of(file), VersionedRegister::input, VersionedRegister::output);
    assertThat(ops).hasSize(2);
    assertThat(ops.stream().filter(Operation::isPending).map(Operation::input))
        .containsExactly(new Cas(K, 1, "b"));
    assertThat(check(ops).linearizable()).isTrue();
  }
}
