package io.phisync.bench;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** The progress display on stderr: one line per step, with the elapsed time of the run. */
final class Progress implements Consumer<String> {
  private final PrintWriter err;
  private final long start = System.nanoTime();
  private String scenario = "";

  Progress(PrintWriter err) {
    this.err = err;
  }

  /** Names the scenario that is running, as "[2/6] one-way-4". */
  void scenario(int index, int total, String name) {
    scenario = "[" + index + "/" + total + "] ";
    err.println(scenario + name);
  }

  @Override
  public void accept(String step) {
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    err.printf("%s  %3d:%02d  %s%n", scenario, seconds / 60, seconds % 60, step);
    err.flush();
  }
}
