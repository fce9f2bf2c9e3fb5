package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StateLockStreamCommandsTest {
  @TempDir Path root;

  @BeforeEach
  void init() {
    assertThat(phisync("init").exitCode()).isZero();
  }

  private Cli.Result phisync(String... args) {
    return Cli.run(
        Stream.concat(Stream.of("--root", root.toString()), Stream.of(args))
            .toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "state", "state get", "state put", "state cas", "state delete", "state list",
        "state history", "state watch", "lock", "lock acquire", "lock release", "lock status",
        "lock run", "stream", "stream append", "stream read", "stream snapshot"
      })
  void everyCommand_hasHelp(String command) {
    Cli.Result result = Cli.run((command + " --help").split(" "));

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Usage: phisync").contains("--help");
  }

  @Nested
  class State {
    @Test
    void putGetAndThePlainFile() throws Exception {
      assertThat(phisync("state", "put", "config/db", "{\"host\":\"db1\"}").out().strip())
          .isEqualTo("1");

      Cli.Result get = phisync("state", "get", "config/db");

      assertThat(get.exitCode()).isZero();
      assertThat(Json.parse(get.out())).isEqualTo(Json.parse("{\"host\":\"db1\"}"));
      assertThat(Json.parse(Files.readString(root.resolve("shared/state/config/db.json"))))
          .isEqualTo(Json.parse("{\"host\":\"db1\"}"));
    }

    @Test
    void get_absent_exits3() {
      Cli.Result get = phisync("state", "get", "nothing");

      assertThat(get.exitCode()).isEqualTo(ExitCodes.NOTHING_RECEIVED);
      assertThat(get.err()).contains("no value for key 'nothing'");
    }

    @Test
    void cas_conflict_exits4_andPrintsTheCurrentRevisionOnStderr() {
      phisync("state", "put", "k", "1");
      phisync("state", "put", "k", "2");

      Cli.Result stale = phisync("state", "cas", "k", "3", "--expect-revision", "1");
      Cli.Result absent = phisync("state", "cas", "k", "3", "--expect-absent");
      Cli.Result ok = phisync("state", "cas", "k", "3", "--expect-revision", "2");

      assertThat(stale.exitCode()).isEqualTo(ExitCodes.CONFLICT);
      assertThat(stale.err()).contains("current revision is 2");
      assertThat(absent.exitCode()).isEqualTo(ExitCodes.CONFLICT);
      assertThat(ok.exitCode()).isZero();
      assertThat(ok.out().strip()).isEqualTo("3");
    }

    @Test
    void put_withAnExpectation_isACompareAndSet() {
      Cli.Result first = phisync("state", "put", "k", "1", "--expect-absent");
      Cli.Result again = phisync("state", "put", "k", "2", "--expect-absent");
      Cli.Result stale = phisync("state", "put", "k", "2", "--expect-revision", "0");
      Cli.Result next = phisync("state", "put", "k", "2", "--expect-revision", "1");

      assertThat(first.exitCode()).isZero();
      assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
      assertThat(again.err()).contains("current revision is 1");
      assertThat(stale.exitCode()).isEqualTo(ExitCodes.CONFLICT);
      assertThat(next.out().strip()).isEqualTo("2");
      assertThat(phisync("state", "get", "k").out().strip()).isEqualTo("2");
      assertThat(phisync("state", "put", "k", "3", "--expect-absent", "--expect-revision", "2"))
          .extracting(Cli.Result::exitCode)
          .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void cas_needsExactlyOneExpectation() {
      assertThat(phisync("state", "cas", "k", "1").exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(
              phisync("state", "cas", "k", "1", "--expect-absent", "--expect-revision", "0")
                  .exitCode())
          .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void fencedPut_withALowerToken_exits4() {
      phisync("state", "put", "k", "1", "--fencing-token", "7");

      Cli.Result fenced = phisync("state", "put", "k", "2", "--fencing-token", "6");

      assertThat(fenced.exitCode()).isEqualTo(ExitCodes.CONFLICT);
      assertThat(fenced.err()).contains("token 6 is lower than 7");
    }

    @Test
    void deleteListAndHistory() {
      phisync("state", "put", "a/x", "1");
      phisync("state", "put", "a/y", "2");
      phisync("state", "delete", "a/y");

      assertThat(phisync("state", "list", "a/").out()).isEqualTo("a/x\t1\n");
      assertThat(phisync("state", "history", "a/y").out().lines())
          .hasSize(2)
          .last()
          .satisfies(l -> assertThat(Json.parse(l).path("deleted").asBoolean()).isTrue());
      assertThat(phisync("state", "delete", "a/y").exitCode())
          .isEqualTo(ExitCodes.NOTHING_RECEIVED);
    }

    @Test
    void badKey_isAUsageErrorNamingTheRule() {
      Cli.Result bad = phisync("state", "put", "../x", "1");

      assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(bad.err()).contains("'/'-separated segments");
    }

    @Test
    void watch_printsRevisionsCommittedMeanwhile() throws Exception {
      phisync("state", "put", "k", "0");
      Thread writer = new Thread(() -> phisync("state", "put", "k", "1"));
      writer.start();

      Cli.Result watched =
          phisync("state", "watch", "k", "--after", "1", "--count", "1", "--timeout", "30s");

      writer.join();
      assertThat(watched.exitCode()).isZero();
      assertThat(Json.parse(watched.out()).path("value").asInt()).isEqualTo(1);
    }
  }

  @Nested
  class Lock {
    @Test
    void acquireStatusRelease() {
      Cli.Result acquired = phisync("lock", "acquire", "deploy", "--lease", "1m");
      String token = acquired.out().strip();

      assertThat(acquired.exitCode()).isZero();
      assertThat(token).isEqualTo("1");
      assertThat(phisync("lock", "status", "deploy").out()).startsWith("deploy\theld\t1\t");
      assertThat(phisync("lock", "acquire", "deploy").exitCode()).isEqualTo(ExitCodes.CONFLICT);
      assertThat(phisync("lock", "release", "deploy", "--token", "5").exitCode())
          .isEqualTo(ExitCodes.CONFLICT);
      assertThat(phisync("lock", "release", "deploy", "--token", token).exitCode()).isZero();
      assertThat(phisync("lock", "status", "deploy").out()).startsWith("deploy\tfree");
    }

    @Test
    void aForeignLockFile_isReportedAndRespected() throws Exception {
      Files.writeString(root.resolve("shared/locks/deploy.lock"), "");

      assertThat(phisync("lock", "status", "deploy").out()).contains("foreign");
      assertThat(phisync("lock", "acquire", "deploy").exitCode()).isEqualTo(ExitCodes.CONFLICT);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void run_passesTheToken_returnsTheExitCode_andReleases() throws Exception {
      Path out = root.resolve("token.txt");

      Cli.Result run =
          phisync(
              "lock",
              "run",
              "deploy",
              "--lease",
              "10s",
              "--",
              "sh",
              "-c",
              "echo \"$PHISYNC_LOCK $PHISYNC_FENCING_TOKEN\" > \"$0\"; exit 7",
              out.toString());

      assertThat(run.exitCode()).as(run.err()).isEqualTo(7);
      assertThat(Files.readString(out).strip()).isEqualTo("deploy 1");
      assertThat(phisync("lock", "status", "deploy").out()).startsWith("deploy\tfree");
    }
  }

  @Nested
  class Streams {
    @Test
    void appendReadAndSnapshot() {
      assertThat(phisync("stream", "append", "orders", "--type", "placed", "1", "2").out().strip())
          .isEqualTo("2");
      Cli.Result wrong =
          phisync("stream", "append", "orders", "--type", "placed", "3", "--expect-version", "1");
      assertThat(wrong.exitCode()).isEqualTo(ExitCodes.CONFLICT);
      assertThat(wrong.err()).contains("at version 2");
      phisync("stream", "append", "orders", "--type", "placed", "3", "--expect-version", "2");

      assertThat(phisync("stream", "read", "orders", "--from", "2").out().lines())
          .extracting(l -> Json.parse(l).path("version").asLong())
          .containsExactly(2L, 3L);
      assertThat(phisync("stream", "snapshot", "orders").exitCode())
          .isEqualTo(ExitCodes.NOTHING_RECEIVED);
      assertThat(
              phisync("stream", "snapshot", "orders", "--at", "3", "--state", "{\"sum\":6}")
                  .exitCode())
          .isZero();
      assertThat(Json.parse(phisync("stream", "snapshot", "orders").out()).path("version").asLong())
          .isEqualTo(3);
    }
  }
}
