package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo, end to end, with a real second JVM answering. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoTest {
  @TempDir Path dir;

  @Test
  void demo_roundTripsThroughASecondJvm_andKeepsItsTemporaryRoot() {
    Cli.Result result = Cli.run("demo");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("listening in a second JVM (pid")
        .contains("1. dc -> webc  research")
        .contains("3. dc -> webc  research")
        .contains("3 round trips done")
        .contains("response-taken");
    Matcher kept = Pattern.compile("The files are in (\\S+)\\.").matcher(result.out());
    assertThat(kept.find()).isTrue();
    Path root = Path.of(kept.group(1));
    assertThat(root.resolve("webc/inbox/processed")).isDirectory();
    Demo.deleteTree(root);
  }

  @Test
  void demo_withClean_removesItsTemporaryRoot() {
    Cli.Result result = Cli.run("--fast", "demo", "--clean", "--requests", "1");

    assertThat(result.exitCode()).as(result.err()).isZero();
    Matcher removed = Pattern.compile("Removed (\\S+)\\.").matcher(result.out());
    assertThat(removed.find()).isTrue();
    assertThat(Path.of(removed.group(1))).doesNotExist();
  }

  @Test
  void demo_withARoot_keepsTheFiles_andSaysHowToTraceThem() {
    Path root = dir.resolve("demo");

    Cli.Result result = Cli.run("--fast", "demo", "--root", root.toString(), "--requests", "2");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("2 round trips done").contains("trace");
    Matcher trace = Pattern.compile("phisync --root \\S+ trace (\\S+)").matcher(result.out());
    assertThat(trace.find()).isTrue();
    Cli.Result traced = Cli.run("--root", root.toString(), "trace", trace.group(1), "--json");
    assertThat(traced.out()).contains("processed").contains("response-taken");
    assertThat(root.resolve("webc/inbox/processed")).isDirectory();
    assertThat(Files.exists(root.resolve("dc/inbox"))).isTrue();
  }

  @Test
  void demo_rejectsABadRequestCount() {
    assertThat(Cli.run("demo", "--requests", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
