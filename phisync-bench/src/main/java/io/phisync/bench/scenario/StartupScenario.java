package io.phisync.bench.scenario;

import io.phisync.bench.process.BareMain;
import io.phisync.bench.process.Child;
import io.phisync.bench.process.Mode;
import io.phisync.bench.scenario.Measurement.Better;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's start-up: wall time of one {@code phisync send}, median of 20 after warm-up, through
 * the launcher (what users run) and as a plain {@code java -jar} (no archive, default JIT), beside
 * a bare JVM that runs an empty main.
 */
final class StartupScenario implements Scenario {
  @Override
  public String name() {
    return "cli-startup";
  }

  @Override
  public String description() {
    return "wall time of 'phisync send' vs a bare JVM start (median of 20 after warm-up)";
  }

  @Override
  public boolean perMode() {
    return false;
  }

  @Override
  public List<Measurement> run(BenchRun run, Mode mode) throws Exception {
    int warmups = run.size(3, 1);
    int samples = run.size(20, 5);
    String java = Child.javaCommand();
    List<Measurement> out = new ArrayList<>();
    out.add(
        median(
            run,
            "bare-jvm",
            List.of(java, "-cp", Child.classPath(), BareMain.class.getName()),
            warmups,
            samples));
    Path root = run.newRoot(name(), Mode.DURABLE);
    List<String> send =
        List.of(
            "--root", root.toString(), "send", "--from", "dc", "--to", "webc", "--command", "x");
    if (run.cliJar().isPresent()) {
      List<String> plain = new ArrayList<>(List.of(java, "-jar", run.cliJar().get().toString()));
      plain.addAll(send);
      out.add(median(run, "java -jar (before)", plain, warmups, samples));
    }
    if (run.launcher().isPresent()) {
      List<String> launcher = new ArrayList<>(List.of(run.launcher().get().toString()));
      launcher.addAll(send);
      out.add(median(run, Measurement.PHISYNC, launcher, warmups, samples));
    } else {
      run.progress(name() + ": no launcher given (--launcher or $PHISYNC_LAUNCHER); skipped");
    }
    return out;
  }

  private Measurement median(
      BenchRun run, String subject, List<String> command, int warmups, int samples)
      throws IOException, InterruptedException {
    run.progress(name() + " " + subject + " x" + samples);
    long[] wall = new long[samples];
    for (int i = -warmups; i < samples; i++) {
      long t0 = System.nanoTime();
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("failed: " + String.join(" ", command));
      }
      if (i >= 0) {
        wall[i] = (System.nanoTime() - t0) / 1_000;
      }
    }
    return new Measurement(
        name(),
        "-",
        subject,
        "median wall",
        new Percentiles(wall).at(50) / 1000.0,
        "ms",
        Better.LOWER);
  }
}
