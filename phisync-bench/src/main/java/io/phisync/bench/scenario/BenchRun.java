package io.phisync.bench.scenario;

import io.phisync.PhiSync;
import io.phisync.bench.process.Mode;
import io.phisync.protocol.AgentName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What one {@code phisync bench} run gives its scenarios: sizes (full or quick), a scratch
 * directory for roots and child logs, the progress display, and where the CLI is.
 */
public final class BenchRun {
  /** The sending agent in every scenario. */
  public static final String FROM = "dc";

  /** The receiving agent in every scenario. */
  public static final String TO = "webc";

  private final boolean quick;
  private final Path scratch;
  private final Consumer<String> progress;
  private final @Nullable Path cliJar;
  private final @Nullable Path launcher;
  private int roots;

  public BenchRun(
      boolean quick,
      Path scratch,
      Consumer<String> progress,
      @Nullable Path cliJar,
      @Nullable Path launcher) {
    this.quick = quick;
    this.scratch = scratch;
    this.progress = progress;
    this.cliJar = cliJar;
    this.launcher = launcher;
  }

  /** The full size, or the quick one under {@code --quick}. */
  public int size(int full, int quickSize) {
    return quick ? quickSize : full;
  }

  public boolean quick() {
    return quick;
  }

  /** Shows what is running now (stderr). */
  public void progress(String step) {
    progress.accept(step);
  }

  /** A fresh root with the agents {@link #FROM} and {@link #TO}. */
  public Path newRoot(String label, Mode mode) throws IOException {
    Path root = Files.createDirectories(scratch.resolve((++roots) + "-" + label));
    try (PhiSync phi = PhiSync.builder(root).durability(mode.durability()).open()) {
      phi.init(List.of(AgentName.of(FROM), AgentName.of(TO)));
    }
    return root;
  }

  /** Where children write their stderr. */
  public Path logs() {
    return scratch.resolve("logs");
  }

  /** A scratch directory of its own. */
  public Path newDir(String label) throws IOException {
    return Files.createDirectories(scratch.resolve((++roots) + "-" + label));
  }

  /** The CLI's jar, when known. */
  public Optional<Path> cliJar() {
    return Optional.ofNullable(cliJar);
  }

  /** The {@code phisync} launcher script, when known. */
  public Optional<Path> launcher() {
    return Optional.ofNullable(launcher);
  }
}
