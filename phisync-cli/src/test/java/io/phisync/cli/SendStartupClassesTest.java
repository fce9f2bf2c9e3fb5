package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A regression guard for the start-up of {@code phisync send} (BENCHMARKS.md, cli-startup): counts
 * the classes a real {@code send} loads in a child JVM rather than timing it, so that a change that
 * drags something big into the send path (the whole command tree, YAML, MCP, the management API)
 * fails here on any machine, loaded or not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SendStartupClassesTest {
  /**
   * About 2,600 when this was written (a shaded-jar run of the launcher's send: 2,589; this test's
   * class path a few more); the margin is for JDK updates and small additions, not for a new
   * subsystem.
   */
  static final int MAX_CLASSES = 2_900;

  @TempDir Path dir;

  @Test
  void send_loadsFewerClassesThanTheBound_andNothingItDoesNotUse() throws Exception {
    Path root = dir.resolve("root");
    assertThat(Cli.run("--root", root.toString(), "init", "--agents", "dc,webc").exitCode())
        .isZero();
    Path log = dir.resolve("classes.log");
    Process process =
        new ProcessBuilder(
                ChildProcess.javaCommand(),
                "-Xshare:off",
                "-Xlog:class+load=info:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--root",
                root.toString(),
                "send",
                "--from",
                "dc",
                "--to",
                "webc",
                "--command",
                "x")
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    assertThat(process.waitFor(100, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();

    List<String> loaded =
        Files.readAllLines(log).stream()
            .filter(line -> line.contains("[class,load]"))
            .map(line -> line.replaceFirst(".*\\[class,load\\] (\\S+).*", "$1"))
            .toList();
    assertThat(loaded).as("classes a send loads").hasSizeLessThan(MAX_CLASSES);
    assertThat(loaded)
        .as("what a send does not use")
        .noneMatch(name -> name.startsWith("java.lang.management."))
        .noneMatch(name -> name.startsWith("tools.jackson.dataformat."))
        .noneMatch(name -> name.startsWith("io.phisync.mcp."))
        // Built only with the model of the commands that use them: the whole tree was built.
        .doesNotContain("io.phisync.cli.SeverityConverter", "io.phisync.cli.EventFilterOptions")
        .contains("io.phisync.cli.LeanCommandLine", "io.phisync.cli.SendCommand");
  }
}
