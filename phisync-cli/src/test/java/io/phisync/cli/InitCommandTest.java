package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InitCommandTest {
  @TempDir Path dir;

  @Test
  void init_withoutAgents_createsTheCodexLayoutForTheDefaultAgents() {
    Path root = dir.resolve("ipc");

    Cli.Result result = Cli.run("--root", root.toString(), "init");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Initialized").contains("dc, vssc, kalic, webc, cmdc");
    for (String agent : new String[] {"dc", "vssc", "kalic", "webc", "cmdc"}) {
      assertThat(root.resolve(agent).resolve("inbox").resolve("processed")).isDirectory();
      assertThat(root.resolve(agent).resolve("outbox")).isDirectory();
      assertThat(root.resolve(agent).resolve("state.json")).isRegularFile();
    }
    assertThat(root.resolve("shared/events")).isDirectory();
    assertThat(root.resolve("shared/state/snapshots")).isDirectory();
    assertThat(root.resolve("shared/locks")).isDirectory();
    assertThat(root.resolve("dlq/archive")).isDirectory();
  }

  @Test
  void init_twice_keepsWhatExists() throws Exception {
    Path root = dir.resolve("ipc");
    Cli.run("--root", root.toString(), "init", "--agents", "dc,webc");
    Path state = root.resolve("webc/state.json");
    Files.writeString(state, "{\"status\":\"running\"}");

    Cli.Result again = Cli.run("--root", root.toString(), "init", "--agents", "dc,webc,kalic");

    assertThat(again.exitCode()).isZero();
    assertThat(state).hasContent("{\"status\":\"running\"}");
    assertThat(root.resolve("kalic/inbox")).isDirectory();
  }

  @Test
  void init_badAgentName_exits2_namesTheRule_andWritesNothing() {
    Path root = dir.resolve("ipc");

    Cli.Result result = Cli.run("--root", root.toString(), "init", "--agents", "dc,Web C");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("invalid agent name 'Web C'")
        .contains("a lowercase letter first");
    assertThat(result.out()).isEmpty();
    assertThat(root).doesNotExist();
  }

  @Test
  void init_reservedName_exits2() {
    Cli.Result result = Cli.run("--root", dir.toString(), "init", "--agents", "shared");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("reserved");
  }

  @Test
  void root_comesFromPhisyncRootVariable_whenNoOptionIsGiven() {
    Path root = dir.resolve("from-env");

    Cli.Result result = Cli.run(Map.of("PHISYNC_ROOT", root.toString()), "init", "--agents", "dc");

    assertThat(result.exitCode()).isZero();
    assertThat(root.resolve("dc/inbox")).isDirectory();
  }

  @Test
  void rootOption_winsOverTheVariable_andMayFollowTheCommand() {
    Path fromEnv = dir.resolve("from-env");
    Path fromOption = dir.resolve("from-option");

    Cli.Result result =
        Cli.run(
            Map.of("PHISYNC_ROOT", fromEnv.toString()),
            "init",
            "--agents",
            "dc",
            "--root",
            fromOption.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(fromOption.resolve("dc/inbox")).isDirectory();
    assertThat(fromEnv).doesNotExist();
  }
}
