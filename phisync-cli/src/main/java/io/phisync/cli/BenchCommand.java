package io.phisync.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code phisync bench}: hands off to {@code phisync-bench.jar} in a JVM of its own, so the
 * benchmarks (and Camel, and JMH) never load in the CLI's JVM. The launcher script goes to that jar
 * directly; this command is for {@code java -jar phisync.jar bench}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure PhiSync on this machine beside the raw file system, the codex's polling and",
      "Apache Camel (runs phisync-bench.jar: $PHISYNC_BENCH_JAR, else the one built beside this",
      "jar). Options: [--scenario NAME] [--list] [--quick] [--json FILE] [--mode fast|durable|both];",
      "'phisync bench jmh' runs the JMH benchmarks. See BENCHMARKS.md."
    })
final class BenchCommand extends CliCommand {
  static final String JAR_VARIABLE = "PHISYNC_BENCH_JAR";

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path jar =
        benchJar()
            .orElseThrow(
                () ->
                    CliException.usage(
                        "phisync-bench.jar not found; build it with"
                            + " 'mvn -B package -pl phisync-bench -am' or run './phisync bench'"));
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaCommand());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private Optional<Path> benchJar() {
    String given = System.getenv(JAR_VARIABLE);
    if (given != null && !given.isBlank()) {
      return Optional.of(Path.of(given));
    }
    try {
      // phisync-cli/target/phisync.jar -> phisync-bench/target/phisync-bench.jar
      Path self =
          Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path jar = self.resolveSibling("../../phisync-bench/target/phisync-bench.jar").normalize();
      return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
