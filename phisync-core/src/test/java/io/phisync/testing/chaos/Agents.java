package io.phisync.testing.chaos;

import io.phisync.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The live agent processes of a campaign: each is a child JVM running {@code main} with a numbered
 * instance name; a killed one is replaced by a fresh instance. Faults pick their victims here, so
 * only our own children are ever signalled.
 */
public final class Agents implements AutoCloseable {
  /** Arguments of one instance: its name, its log and effect file prefix. */
  public interface Launcher {
    Process start(String instance) throws IOException;
  }

  /** A fault that took effect on an instance, at a wall-clock time (for the report). */
  public record Note(String instance, String fault, long epochMillis) {}

  private final List<Process> live = new ArrayList<>();
  private final List<Process> all = new ArrayList<>();
  private final Map<Process, String> names = new java.util.HashMap<>();
  private final List<Note> notes = new ArrayList<>();
  private final Launcher launcher;
  private final boolean restartSame;
  private int started;

  public Agents(Launcher launcher) {
    this(launcher, false);
  }

  /**
   * @param restartSame whether {@link #replace} restarts the dead instance under its own name (a
   *     process with an identity, e.g. a durable subscriber) rather than a fresh numbered one
   */
  public Agents(Launcher launcher, boolean restartSame) {
    this.launcher = launcher;
    this.restartSame = restartSame;
  }

  /** A launcher that runs {@code main} with {@code args(instance)}. */
  public static Launcher of(
      Class<?> main, Path dir, java.util.function.Function<String, List<String>> args) {
    return instance ->
        ChildJvm.start(
            main,
            Map.of(),
            dir.resolve(instance + ".log"),
            args.apply(instance).toArray(String[]::new));
  }

  /** Starts {@code n} more instances. */
  public synchronized void start(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      start("agent-" + started);
    }
  }

  /** Starts one instance named {@code instance}. */
  public synchronized void start(String instance) throws IOException {
    Process p = launcher.start(instance);
    started++;
    live.add(p);
    all.add(p);
    names.put(p, instance);
  }

  /** Records that {@code fault} took effect on {@code victim} now. */
  public synchronized void note(Process victim, String fault) {
    notes.add(new Note(names.getOrDefault(victim, "?"), fault, System.currentTimeMillis()));
  }

  /** The faults that took effect, in order. */
  public synchronized List<Note> notes() {
    return List.copyOf(notes);
  }

  /** The instance name of a process started here. */
  public synchronized String nameOf(Process process) {
    return names.getOrDefault(process, "?");
  }

  /** A random live instance. */
  public synchronized Process pick(Random random) {
    return live.get(random.nextInt(live.size()));
  }

  /** Replaces a dead instance by a new one. */
  public synchronized void replace(Process dead) throws IOException {
    live.remove(dead);
    if (restartSame) {
      start(names.getOrDefault(dead, "agent-" + started));
    } else {
      start(1);
    }
  }

  public synchronized List<Process> live() {
    return List.copyOf(live);
  }

  /** Instances started so far, killed ones included. */
  public synchronized int started() {
    return started;
  }

  /** Waits for every live instance to exit by itself (after its stop signal). */
  public boolean awaitExit(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (Process p : live()) {
      long left = deadline - System.nanoTime();
      if (!p.waitFor(Math.max(1, left), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized void close() throws InterruptedException {
    for (Process p : all) {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
