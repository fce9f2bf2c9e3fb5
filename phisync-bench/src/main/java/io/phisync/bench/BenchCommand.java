package io.phisync.bench;

import io.phisync.bench.process.Mode;
import io.phisync.bench.scenario.BenchRun;
import io.phisync.bench.scenario.Measurement;
import io.phisync.bench.scenario.Scenario;
import io.phisync.bench.scenario.Scenarios;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code phisync bench}: runs scenarios, shows progress on stderr, prints a table at the end. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure PhiSync on this machine beside its references, in the same run: the raw",
      "file-system limit, the codex's polling and Apache Camel's file component.",
      "Producers and consumers run in separate JVMs. Ratios matter; absolute figures",
      "on a shared machine are noise."
    },
    subcommands = JmhCommand.class,
    footerHeading = "%nExit codes:%n",
    footer = {"  0  ok", "  1  a scenario failed", "  2  usage error (e.g. an unknown scenario)"})
final class BenchCommand implements Callable<Integer> {
  /** Which write modes to run. */
  enum Modes {
    fast,
    durable,
    both
  }

  private final Map<String, String> env;

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description = "Run only this scenario (repeatable); see --list.")
  List<String> scenarios = new ArrayList<>();

  @Option(names = "--list", description = "List the scenarios and exit.")
  boolean list;

  @Option(names = "--quick", description = "Small sizes: a smoke run of a minute or two.")
  boolean quick;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description =
          "Run each scenario N times in a row and report the median of each figure (default:"
              + " ${DEFAULT-VALUE}); on a shared machine 3 or 5 steady the ratios.")
  int repeat = 1;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  @Nullable Path json;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "fast, durable or both (default: ${DEFAULT-VALUE}).")
  Modes modes = Modes.both;

  @Option(
      names = "--cli-jar",
      paramLabel = "JAR",
      description = "The CLI's jar, for cli-startup (default: $PHISYNC_CLI_JAR).")
  @Nullable Path cliJar;

  @Option(
      names = "--launcher",
      paramLabel = "FILE",
      description = "The phisync launcher, for cli-startup (default: $PHISYNC_LAUNCHER).")
  @Nullable Path launcher;

  BenchCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec().commandLine().getOut();
    PrintWriter err = spec().commandLine().getErr();
    if (list) {
      Scenarios.all().forEach(s -> out.printf("%-14s %s%n", s.name(), s.description()));
      return 0;
    }
    if (repeat < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec().commandLine(), "--repeat must be 1 or more, not " + repeat);
    }
    List<Scenario> selected = select();
    Path scratch = Files.createTempDirectory("phisync-bench-");
    Progress progress = new Progress(err);
    BenchRun run =
        new BenchRun(
            quick,
            scratch,
            progress,
            path(cliJar, "PHISYNC_CLI_JAR"),
            path(launcher, "PHISYNC_LAUNCHER"));
    List<Measurement> results = new ArrayList<>();
    try {
      for (int i = 0; i < selected.size(); i++) {
        Scenario scenario = selected.get(i);
        List<Measurement> runs = new ArrayList<>();
        for (int r = 1; r <= repeat; r++) {
          progress.scenario(
              i + 1,
              selected.size(),
              scenario.name() + (repeat > 1 ? " (run " + r + " of " + repeat + ")" : ""));
          for (Mode mode : scenario.perMode() ? modes() : List.of(Mode.FAST)) {
            runs.addAll(scenario.run(run, mode));
          }
        }
        results.addAll(Measurement.medians(runs));
        clearScratch(scratch, run.logs(), progress);
      }
    } finally {
      delete(scratch);
    }
    Report report = new Report(results, quick, repeat);
    report.printTable(out);
    report.printTargets(out);
    if (json != null) {
      report.writeJson(json);
      err.println("wrote " + json);
    }
    return 0;
  }

  private CommandSpec spec() {
    if (spec == null) {
      throw new IllegalStateException("picocli injects the spec");
    }
    return spec;
  }

  private List<Scenario> select() {
    if (scenarios.isEmpty()) {
      return Scenarios.all();
    }
    List<Scenario> selected = new ArrayList<>();
    for (String name : scenarios) {
      selected.add(
          Scenarios.named(name)
              .orElseThrow(
                  () ->
                      new picocli.CommandLine.ParameterException(
                          spec().commandLine(),
                          "unknown scenario '" + name + "'; 'phisync bench --list' names them")));
    }
    return selected;
  }

  private List<Mode> modes() {
    return switch (modes) {
      case fast -> List.of(Mode.FAST);
      case durable -> List.of(Mode.DURABLE);
      case both -> List.of(Mode.FAST, Mode.DURABLE);
    };
  }

  private @Nullable Path path(@Nullable Path given, String variable) {
    if (given != null) {
      return given;
    }
    String value = env.get(variable);
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  /**
   * Removes what a scenario left under {@code scratch} (a full run leaves hundreds of thousands of
   * files), except the children's logs in {@code logs}, so that a run's files do not pile up for
   * the next scenario to work beside and for minutes of silence at the end. Returns how many files
   * it removed, and shows it.
   */
  static long clearScratch(Path scratch, Path logs, java.util.function.Consumer<String> progress)
      throws IOException {
    List<Path> left;
    try (java.util.stream.Stream<Path> entries = Files.list(scratch)) {
      left = entries.filter(entry -> !entry.equals(logs)).toList();
    }
    if (left.isEmpty()) {
      return 0;
    }
    progress.accept("removing the scenario's scratch files");
    long start = System.nanoTime();
    long removed = 0;
    for (Path entry : left) {
      removed += delete(entry);
    }
    progress.accept(
        String.format(
            java.util.Locale.ROOT,
            "removed %,d scratch files in %.1f s",
            removed,
            (System.nanoTime() - start) / 1e9));
    return removed;
  }

  /** Deletes {@code dir} and everything in it; returns how many files (not directories). */
  private static long delete(Path dir) throws IOException {
    long[] files = {0};
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            files[0]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, @Nullable IOException e)
              throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
    return files[0];
  }
}
