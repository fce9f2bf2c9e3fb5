package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
    return launchFrom(dir, home.resolve("phisync").toString(), "jdk", args);
  }

  private Cli.Result launchFrom(Path cwd, String launcher, String jdk, String... args)
      throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = launcher;
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    builder.environment().put("JAVA_HOME", dir.resolve(jdk).toString());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Cli.Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static final String FLAGS =
      "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -XX:-UsePerfData"
          + " -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr";

  /**
   * The launcher asks for transparent huge pages for the command itself (not for the archive's
   * training) where the kernel gives them on request.
   */
  private static final String THP = hugePagesOnRequest() ? " -XX:+UseTransparentHugePages" : "";

  /** The JVM options of the command itself. */
  private static final String RUN_FLAGS = FLAGS + THP;

  private static boolean hugePagesOnRequest() {
    try {
      return Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
          .contains("[madvise]");
    } catch (IOException e) {
      return false;
    }
  }

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
        .endsWith("java " + RUN_FLAGS + " -jar " + jar + " status --json");
    // The stand-in java fails, so the archive's training run stops at its 'init'.
    assertThat(calls.get(1))
        .startsWith("java " + FLAGS + " -jar " + jar + " --root ")
        .endsWith(" init");
    assertThat(home.resolve("phisync-cli/target/phisync.jsa.failed"))
        .hasContent(dir.resolve("jdk/bin/java").toString());
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
                + RUN_FLAGS
                + " -XX:SharedArchiveFile="
                + jsa
                + " -jar "
                + jar
                + " send --from dc --to webc --command x");
    assertThat(Path.of(jsa)).hasContent("cds");
    assertThat(Path.of(jsa + ".java")).hasContent(dir.resolve("jdk/bin/java").toString());
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
    Path dumpedBy = home.resolve("phisync-cli/target/phisync.jsa.java");
    Files.writeString(dumpedBy, dir.resolve("jdk/bin/java") + "\n");
    Files.setLastModifiedTime(dumpedBy, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Files.delete(log);

    launch("status");

    assertThat(Files.readAllLines(log))
        .containsExactly(
            "java "
                + RUN_FLAGS
                + " -XX:SharedArchiveFile="
                + home.toRealPath()
                + "/phisync-cli/target/phisync.jsa -jar "
                + home.toRealPath()
                + "/phisync-cli/target/phisync.jar status");
  }

  @Test
  void anArchiveOfAnotherJava_isNotUsed_andTheArchiveIsDumpedAgainForThisOne() throws Exception {
    launch("status");
    Path archive = home.resolve("phisync-cli/target/phisync.jsa");
    Files.writeString(archive, "cds");
    Path dumpedBy = home.resolve("phisync-cli/target/phisync.jsa.java");
    Files.writeString(dumpedBy, "/some/other/jdk/bin/java\n");
    for (Path file : List.of(archive, dumpedBy)) {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    }
    Files.delete(home.resolve("phisync-cli/target/phisync.jsa.failed"));
    Files.delete(log);

    launch("status");

    // The stand-in java fails the training run: no archive for it, and the failure is remembered.
    String jar = home.toRealPath() + "/phisync-cli/target/phisync.jar";
    assertThat(Files.readAllLines(log))
        .hasSize(2)
        .endsWith("java " + RUN_FLAGS + " -jar " + jar + " status");
    Files.delete(log);
    launch("status");
    assertThat(Files.readAllLines(log))
        .containsExactly("java " + RUN_FLAGS + " -jar " + jar + " status");
  }

  @Test
  void aFailedDump_isRetriedWithAnotherJava_once() throws Exception {
    launch("status");
    script(dir.resolve("jdk2/bin/java"), "echo \"java2 $*\" >> '" + log + "'", "exit 7");
    Files.delete(log);

    launchFrom(dir, home.resolve("phisync").toString(), "jdk2", "status");
    assertThat(Files.readAllLines(log)).hasSize(2).first().asString().endsWith(" init");
    Files.delete(log);
    launchFrom(dir, home.resolve("phisync").toString(), "jdk2", "status");

    assertThat(Files.readAllLines(log)).hasSize(1).first().asString().endsWith(" status");
  }

  @Test
  void aMainSourceOrPomNewerThanTheJar_rebuilds_aTestSourceDoesNot() throws Exception {
    launch("status");
    long later = System.currentTimeMillis() + 60_000;
    Path test = home.resolve("phisync-core/src/test/java/io/phisync/SomeTest.java");
    Files.createDirectories(test.getParent());
    Files.writeString(test, "class SomeTest {}");
    Files.setLastModifiedTime(test, FileTime.fromMillis(later));
    Files.delete(log);

    assertThat(launch("status").err()).doesNotContain("building");

    Path main = home.resolve("phisync-core/src/main/java/io/phisync/Some.java");
    Files.createDirectories(main.getParent());
    Files.writeString(main, "class Some {}");
    Files.setLastModifiedTime(main, FileTime.fromMillis(later));
    assertThat(launch("status").err()).contains("building");
    Files.setLastModifiedTime(main, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    Path pom = home.resolve("phisync-core/pom.xml");
    Files.writeString(pom, "<project/>");
    Files.setLastModifiedTime(pom, FileTime.fromMillis(later + 60_000));
    assertThat(launch("status").err()).contains("building");

    assertThat(Files.readAllLines(log).stream().filter(line -> line.startsWith("mvnw"))).hasSize(2);
  }

  @Test
  void relativeLaunchPaths_findTheCheckout() throws Exception {
    launch("status");
    Path sub = Files.createDirectories(dir.resolve("sub"));
    String jar = home.toRealPath() + "/phisync-cli/target/phisync.jar";

    for (String[] way :
        new String[][] {
          {home.toString(), "./phisync"},
          {dir.toString(), "checkout/phisync"},
          {sub.toString(), "../checkout/phisync"},
          {home.toString(), "../checkout/./phisync"}
        }) {
      Files.delete(log);
      Cli.Result result = launchFrom(Path.of(way[0]), way[1], "jdk", "status");
      assertThat(result.out()).as(way[1]).isEqualTo("ran\n");
      assertThat(Files.readAllLines(log))
          .as(way[1])
          .containsExactly("java " + RUN_FLAGS + " -jar " + jar + " status");
    }
  }

  /** The launcher's JVM options with an AOT cache: as {@link #FLAGS} without -Xshare:auto. */
  private static final String AOT_FLAGS =
      "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -XX:-UsePerfData"
          + " -Xlog:disable -Xlog:all=warning:stderr";

  private static final String AOT_RUN_FLAGS = AOT_FLAGS + THP;

  private void jdk(String name, String version) throws Exception {
    // A stand-in java that succeeds, and writes the AOT cache or the archive when asked to.
    script(
        dir.resolve(name + "/bin/java"),
        "echo \"java $*\" >> '" + log + "'",
        "out=; for a in \"$@\"; do case $a in -XX:AOTCache=*) out=${a#-XX:AOTCache=};;"
            + " -XX:SharedArchiveFile=*) out=${a#-XX:SharedArchiveFile=};; esac; done",
        "case \" $* \" in *' -XX:AOTMode=create '*|*' -Xshare:dump '*) echo dumped > \"$out\";; esac",
        "echo ran");
    Files.writeString(
        dir.resolve(name + "/release"),
        "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\n");
  }

  @Test
  void aJavaHomeOfJdk24OrNewer_getsAnAotCache_recordedFromATrainingSend() throws Exception {
    jdk("jdk25", "25.0.3");

    Cli.Result result =
        launchFrom(dir, home.resolve("phisync").toString(), "jdk25", "send", "--to", "webc");

    assertThat(result.exitCode()).isZero();
    String jar = home.toRealPath() + "/phisync-cli/target/phisync.jar";
    String aot = home.toRealPath() + "/phisync-cli/target/phisync.aot";
    List<String> calls = Files.readAllLines(log);
    assertThat(calls).hasSize(5);
    assertThat(calls.get(1)).startsWith("java " + AOT_FLAGS + " -jar " + jar).endsWith(" init");
    assertThat(calls.get(2))
        .startsWith("java " + AOT_FLAGS + " -XX:AOTMode=record -XX:AOTConfiguration=")
        .endsWith(" send --from dc --to webc --command warmup");
    assertThat(calls.get(3))
        .startsWith("java " + AOT_FLAGS + " -XX:AOTMode=create -XX:AOTConfiguration=")
        .contains(" -XX:AOTCache=" + aot + ".")
        .endsWith(".part -cp " + jar);
    assertThat(calls.get(4))
        .isEqualTo(
            "java " + AOT_RUN_FLAGS + " -XX:AOTCache=" + aot + " -jar " + jar + " send --to webc");
    assertThat(Path.of(aot)).hasContent("dumped");
    assertThat(home.resolve("phisync-cli/target/phisync.jsa")).doesNotExist();

    Files.delete(log);
    launchFrom(dir, home.resolve("phisync").toString(), "jdk25", "status");
    assertThat(Files.readAllLines(log))
        .containsExactly(
            "java " + AOT_RUN_FLAGS + " -XX:AOTCache=" + aot + " -jar " + jar + " status");
  }

  @Test
  void aJavaHomeOfJdk21_keepsTheAppCdsArchive() throws Exception {
    jdk("jdk21", "21.0.2");

    launchFrom(dir, home.resolve("phisync").toString(), "jdk21", "status");

    String jsa = home.toRealPath() + "/phisync-cli/target/phisync.jsa";
    assertThat(Files.readAllLines(log))
        .hasSize(5)
        .endsWith(
            "java "
                + RUN_FLAGS
                + " -XX:SharedArchiveFile="
                + jsa
                + " -jar "
                + home.toRealPath()
                + "/phisync-cli/target/phisync.jar status");
    assertThat(home.resolve("phisync-cli/target/phisync.aot")).doesNotExist();
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
