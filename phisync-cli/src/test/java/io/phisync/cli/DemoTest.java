package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The demo, end to end: four agent processes, the orchestrator here, a signed approval. */
@DisabledOnOs(OS.WINDOWS)
class DemoTest {
  @TempDir Path dir;

  @BeforeAll
  static void python(@TempDir Path scratch) {
    assumeTrue(Examples.hasPython(), "python3 is not on the PATH: the demo's agents need it");
    try (io.phisync.PhiSync phi = io.phisync.PhiSync.open(scratch)) {
      WorkflowCommandsTest.assumeEngine(phi);
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void demo_runsTheReleaseWorkflow_theDemoApproverSigns_andTheAgentsDrain() throws Exception {
    Path root = dir.resolve("root");

    Cli.Result result = Cli.run("--fast", "demo", "--root", root.toString());

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .contains("demo approver stryk, key ")
        .contains("keyId ")
        .contains("(pid ")
        .contains("approve waits for an approval")
        .contains("stryk approves: PHISYNC_HOME=")
        .contains("release): completed")
        .contains("agent webc stopped: 1 processed, 0 failed")
        .contains("agent cmdc stopped: 1 processed, 0 failed")
        .contains("workflow status run-")
        .contains("trace run-");
    Matcher run = Pattern.compile("journal +(\\S+\\.journal)").matcher(result.out());
    assertThat(run.find()).isTrue();
    assertThat(Path.of(run.group(1))).isDirectory();
    try (Stream<Path> approvals = Files.walk(root.resolve("shared/approvals"))) {
      assertThat(approvals.map(p -> p.getFileName().toString()))
          .contains("approve.request.json", "approve.decision.json");
    }
    String runId = Path.of(run.group(1)).getFileName().toString().replace(".journal", "");
    Cli.Result status = Cli.run("--root", root.toString(), "workflow", "status", runId, "--json");
    assertThat(io.phisync.protocol.Json.parse(status.out()).path("status").asString())
        .isEqualTo("completed");
  }

  @Test
  @Timeout(value = 400, unit = TimeUnit.SECONDS)
  void demoAll_runsTheThreeCodexWorkflows_andCleansUp() {
    Cli.Result result = Cli.run("--fast", "demo", "--all", "--clean");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .contains("release): completed")
        .contains("log-analysis): completed")
        .contains("vuln-fix): completed")
        .contains("\"lines\": 10000")
        .contains("\"chunks\": 8") // 10,000 lines scattered over input.chunks = 8 chunks
        .contains("approve_fix waits for an approval");
    Matcher removed = Pattern.compile("Removed (\\S+)\\.").matcher(result.out());
    assertThat(removed.find()).isTrue();
    assertThat(Path.of(removed.group(1))).doesNotExist();
  }

  @Test
  void demo_withoutTheExamples_saysWhereItLooked() {
    Cli.Result result = Cli.run("demo", "--examples", dir.resolve("none").toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("no release.yaml in the examples directory");
  }
}
