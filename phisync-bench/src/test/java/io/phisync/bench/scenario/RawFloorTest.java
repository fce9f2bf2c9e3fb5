package io.phisync.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.bench.process.ChildResult;
import io.phisync.bench.process.Mode;
import io.phisync.bench.process.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The raw-fs floor of the latency scenarios: real child JVMs exchange real files. */
class RawFloorTest {
  @TempDir Path dir;

  @Test
  @Timeout(300)
  void rawRoundTrips_completeEveryTrip_andLeaveNoFileBehind() throws Exception {
    BenchRun run = new BenchRun(true, dir, line -> {}, null, null);
    Path root = run.newRoot("raw", Mode.FAST);

    ChildResult result = Children.roundTrips(run, Subject.RAW_FS, Mode.FAST, root, 20, 1);

    assertThat(result.latenciesMicros()).hasSize(20);
    assertThat(java.util.Arrays.stream(result.latenciesMicros()).min().orElseThrow()).isPositive();
    assertThat(messageFiles(root.resolve(BenchRun.TO).resolve("inbox"))).isZero();
    assertThat(messageFiles(root.resolve(BenchRun.TO).resolve("outbox"))).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  @Timeout(300)
  void keptRawRoundTrips_moveEveryFileTheyTook_intoProcessed(Mode mode) throws Exception {
    BenchRun run = new BenchRun(true, dir, line -> {}, null, null);
    Path root = run.newRoot("raw-kept", mode);

    ChildResult result = Children.roundTrips(run, Subject.RAW_FS_KEPT, mode, root, 20, 1);

    assertThat(result.latenciesMicros()).hasSize(20);
    Path agent = root.resolve(BenchRun.TO);
    assertThat(messageFiles(agent.resolve("inbox"))).isZero();
    assertThat(messageFiles(agent.resolve("outbox"))).isZero();
    assertThat(messageFiles(agent.resolve("inbox").resolve("processed"))).isEqualTo(20);
    assertThat(messageFiles(agent.resolve("outbox").resolve("processed"))).isEqualTo(20);
  }

  @Test
  @Timeout(300)
  void aRawConsumer_getsEveryMessage_withItsLatency() throws Exception {
    BenchRun run = new BenchRun(true, dir, line -> {}, null, null);
    Path root = run.newRoot("raw", Mode.FAST);

    ChildResult result = Children.oneWay(run, Subject.RAW_FS, Mode.FAST, root, 1, 5, 20, 0);

    assertThat(result.latenciesMicros()).hasSize(5);
    assertThat(java.util.Arrays.stream(result.latenciesMicros()).min().orElseThrow()).isPositive();
    assertThat(messageFiles(root.resolve(BenchRun.TO).resolve("inbox"))).isZero();
  }

  @Test
  @Timeout(300)
  void aDurableKeepingConsumer_keepsEveryMessage_inProcessed() throws Exception {
    BenchRun run = new BenchRun(true, dir, line -> {}, null, null);
    Path root = run.newRoot("raw-kept", Mode.DURABLE);

    ChildResult result = Children.oneWay(run, Subject.RAW_FS_KEPT, Mode.DURABLE, root, 1, 5, 20, 0);

    assertThat(result.latenciesMicros()).hasSize(5);
    Path inbox = root.resolve(BenchRun.TO).resolve("inbox");
    assertThat(messageFiles(inbox)).isZero();
    assertThat(messageFiles(inbox.resolve("processed"))).isEqualTo(5);
  }

  private static long messageFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
    }
  }
}
