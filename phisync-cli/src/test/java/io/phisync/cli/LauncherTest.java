package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POSIX launcher, run from another directory against a copy of the checkout whose mvnw and java
 * are stand-ins that record how they were called.
 */
@DisabledOnOs(OS.WINDOWS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LauncherTest {
  @TempDir Path dir;
  Path home;
  Path log;

  @BeforeEach
  void fakeCheckout() throws Exception {
    Path launcher = Path.of("..", "phisync").toAbsolutePath().normalize();
    assertThat(launcher).as("the launcher at the worktree root").isRegularFile();
    home = dir.resolve("checkout");
    log = dir.resolve("calls.log");
    Files.createDirectories(home.resolve("phisync-cli/src"));
    Files.writeString(home.resolve("pom.xml"), "<project/>");
    Files.copy(launcher, home.resolve("phisync"));
    executable(home.resolve("phisync"));
    script(
        home.resolve("mvnw"),
        "echo \"mvnw $*\" >> '" + log + "'",
        "echo 'building...'",
        "mkdir -p phisync-cli/target phisync-bench/target",
        ": > phisync-cli/target/phisync.jar",
        ": > phisync-bench/target/phisync-bench.jar");
    script(dir.resolve("jdk/bin/java"), "echo \"java $*\" >> '" + log + "'", "echo ran", "exit 7");
  }

  private static void script(Path path, String... lines) throws Exception {
    Files.createDirectories(path.getParent());
    Files.writeString(path, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
    executable(path);
  }

  private static void executable(Path path) throws Exception {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Cli.Result launch(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = home.resolve("phisync").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Cli.Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static final String FLAGS =
      "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:disable"
          + " -Xlog:all=warning:stderr";

  @Test
  void firstUse_buildsWithOutputOnStderr_triesTheArchive_thenRunsTheJar() throws Exception {
    Cli.Result result = launch("status", "--json");

    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(result.out()).isEqualTo("ran\n");
    assertThat(result.err()).contains("building");
    String jar = home.toRealPath() + "/phisync-cli/target/phisync.jar";
    List<String> calls = Files.readAllLines(log);
    assertThat(calls)
        .hasSize(3)
        .startsWith("mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl phisync-cli -am")
        .endsWith("java " + FLAGS + " -jar " + jar + " status --json");
    // The stand-in java fails, so the archive's training run stops at its 'init'.
    assertThat(calls.get(1))
        .startsWith("java " + FLAGS + " -jar " + jar + " --root ")
        .endsWith(" init");
    assertThat(home.resolve("phisync-cli/target/phisync.jsa.failed")).exists();
  }

  @Test
  void theArchive_isDumpedFromTheClassListOfATrainingSend_thenUsed() throws Exception {
    // A stand-in java that succeeds, and writes the archive when asked to dump one.
    script(
        dir.resolve("jdk/bin/java"),
        "echo \"java $*\" >> '" + log + "'",
        "dump=; for a in \"$@\"; do case $a in -Xshare:dump) dump=1;;"
            + " -XX:SharedArchiveFile=*) out=${a#-XX:SharedArchiveFile=};; esac; done",
        "if [ -n \"$dump\" ]; then echo cds > \"$out\"; fi",
        "echo ran");

    Cli.Result result = launch("send", "--from", "dc", "--to", "webc", "--command", "x");

    assertThat(result.exitCode()).isZero();
    String jar = home.toRealPath() + "/phisync-cli/target/phisync.jar";
    String jsa = home.toRealPath() + "/phisync-cli/target/phisync.jsa";
    List<String> calls = Files.readAllLines(log);
    assertThat(calls).hasSize(5);
    assertThat(calls.get(1)).endsWith(" init");
    assertThat(calls.get(2))
        .startsWith("java " + FLAGS + " -XX:DumpLoadedClassList=")
        .contains(" -jar " + jar + " --root ")
        .endsWith(" send --from dc --to webc --command warmup");
    assertThat(calls.get(3))
        .startsWith("java " + FLAGS + " -Xshare:dump -XX:SharedClassListFile=")
        .contains(" -XX:SharedArchiveFile=" + jsa + ".")
        .endsWith(".part -cp " + jar);
    assertThat(calls.get(4))
        .isEqualTo(
            "java "
                + FLAGS
                + " -XX:SharedArchiveFile="
                + jsa
                + " -jar "
                + jar
                + " send --from dc --to webc --command x");
    assertThat(Path.of(jsa)).hasContent("cds");
  }

  @Test
  void laterUses_doNotBuildOrTrainAgain() throws Exception {
    launch("status");
    Files.delete(log);

    Cli.Result result = launch("inbox", "--agent", "webc");

    assertThat(result.err()).doesNotContain("building");
    assertThat(Files.readAllLines(log)).hasSize(1).allMatch(line -> line.startsWith("java -XX:"));
  }

  @Test
  void anArchiveNewerThanTheJar_isUsed() throws Exception {
    launch("status");
    Path archive = home.resolve("phisync-cli/target/phisync.jsa");
    Files.writeString(archive, "cds");
    Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Files.delete(log);

    launch("status");

    assertThat(Files.readAllLines(log))
        .containsExactly(
            "java "
                + FLAGS
                + " -XX:SharedArchiveFile="
                + home.toRealPath()
                + "/phisync-cli/target/phisync.jsa -jar "
                + home.toRealPath()
                + "/phisync-cli/target/phisync.jar status");
  }

  @Test
  void bench_buildsTheBenchJarToo_andRunsIt() throws Exception {
    Cli.Result result = launch("bench", "--quick");

    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(Files.readAllLines(log))
        .containsExactly(
            "mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl"
                + " phisync-cli,phisync-bench -am",
            "java -jar " + home.toRealPath() + "/phisync-bench/target/phisync-bench.jar --quick");
  }
}
