package io.phisync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phisync.PhiSync;
import io.phisync.spi.Durability;
import io.phisync.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing tokens, proved with real processes: 4 JVMs ({@link FencingWorker}) each make 250
 * lock-protected increments of one counter while one of them is {@code SIGSTOP}ped, holding the
 * lock, for longer than its lease. Fenced, the count is exact; unfenced — the very same workload,
 * only without the token — updates are lost.
 *
 * <p>The counter is the plain file {@code shared/state/counter.json}, which any script can read. A
 * plain file cannot check a fencing token itself, so the fenced write goes through the state store:
 * it commits the next revision only if no higher token was committed for the key, then replaces the
 * plain file. The unfenced variant writes through the same store without a token (also an atomic
 * replace of the plain file, just unchecked), so the token is the only difference between the two
 * runs.
 *
 * <p>The stall is made deterministic by a handshake: the victim prints {@code READ <value> <token>}
 * right after reading the counter under its grant and waits on stdin. The test stops it with {@code
 * SIGSTOP}, waits until the others have taken the lock over (their observers must see the grant
 * unchanged for longer than its lease) and committed at least two increments past the value it
 * read, then resumes it with {@code SIGCONT} and lets it write. Its write is then necessarily
 * stale: fenced, the store refuses it (a higher token is committed) and the worker does the
 * increment again under a new grant; unfenced, it overwrites newer values, which loses at least one
 * acknowledged increment.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "no SIGSTOP")
class FencingProcessesTest {
  private static final int PROCESSES = 4;
  private static final int EACH = 250;
  private static final int STALL_AT = 20;

  @TempDir Path dir;
  private Path root;
  private PhiSync phi;
  private final List<Process> processes = new ArrayList<>();
  private final List<BlockingQueue<String>> lines = new ArrayList<>();

  @BeforeEach
  void open() {
    root = dir.resolve("root");
    phi = PhiSync.builder(root).durability(Durability.FAST).open();
    phi.init(List.of());
  }

  @AfterEach
  void close() throws Exception {
    for (Process p : processes) {
      if (p.isAlive()) {
        ChildJvm.signal(p, "CONT"); // Never leave a stopped child behind.
      }
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    phi.close();
  }

  /** What one run shows. */
  private record Outcome(
      int counter, long revision, int acknowledged, int refused, int victimRefused, int read) {}

  @Test
  @Timeout(value = 110, unit = TimeUnit.SECONDS)
  void fencedWrites_keepTheCountExact_whileAHolderIsStoppedPastItsLease() throws Exception {
    Outcome run = run("fenced");

    assertThat(run.acknowledged()).isEqualTo(PROCESSES * EACH);
    assertThat(run.victimRefused()).as("the stalled worker's stale write was refused").isPositive();
    assertThat(run.counter()).isEqualTo(PROCESSES * EACH);
    assertThat(run.revision()).as("refused writes commit nothing").isEqualTo(PROCESSES * EACH);
    assertThat(plainFile()).isEqualTo(Integer.toString(PROCESSES * EACH));
  }

  @Test
  @Timeout(value = 110, unit = TimeUnit.SECONDS)
  void unfencedWrites_loseUpdates_inTheSameRun() throws Exception {
    Outcome run = run("unfenced");

    assertThat(run.acknowledged()).isEqualTo(PROCESSES * EACH);
    assertThat(run.refused()).isZero();
    assertThat(run.revision()).as("every write committed").isEqualTo(PROCESSES * EACH);
    assertThat(run.counter())
        .as("acknowledged %d increments, lost updates", run.acknowledged())
        .isLessThan(PROCESSES * EACH);
    assertThat(plainFile()).isEqualTo(Integer.toString(run.counter()));
  }

  private Outcome run(String mode) throws Exception {
    for (int i = 0; i < PROCESSES; i++) {
      start(i, mode, i == 0 ? STALL_AT : 0);
    }
    for (int i = 0; i < PROCESSES; i++) {
      assertThat(line(i, Duration.ofSeconds(60))).isEqualTo("READY");
    }
    for (int i = 0; i < PROCESSES; i++) {
      tell(i);
    }

    Process victim = processes.get(0);
    String[] read = line(0, Duration.ofSeconds(60)).split(" ");
    assertThat(read[0]).isEqualTo("READ");
    int value = Integer.parseInt(read[1]);
    ChildJvm.signal(victim, "STOP");
    long stopped = System.nanoTime();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> counter() >= value + 2);
    } finally {
      ChildJvm.signal(victim, "CONT");
    }
    // The counter moved while the victim held its grant, stopped: others wrote under a newer
    // grant, which they took only after seeing the victim's unchanged for longer than its lease
    // (counted from their own first look, so the time since the SIGSTOP is no measure of it).
    long stalledMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
    tell(0);

    int acknowledged = 0;
    int refused = 0;
    int victimRefused = 0;
    for (int i = 0; i < PROCESSES; i++) {
      Process p = processes.get(i);
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("worker p%d finished", i).isTrue();
      assertThat(p.exitValue()).as("exit of p%d: %s", i, log(i)).isZero();
      String[] result = Files.readString(dir.resolve("p" + i + ".result")).trim().split(" ");
      acknowledged += Integer.parseInt(result[0]);
      refused += Integer.parseInt(result[1]);
      if (i == 0) {
        victimRefused = Integer.parseInt(result[1]);
      }
    }
    Versioned last = phi.state().get("counter").orElseThrow();
    Outcome outcome =
        new Outcome(
            last.valueOrThrow().asInt(),
            last.revision(),
            acknowledged,
            refused,
            victimRefused,
            value);
    System.out.println(
        mode
            + ": "
            + outcome
            + ", victim stopped "
            + stalledMillis
            + " ms after reading "
            + value
            + ", lease "
            + FencingWorker.LEASE_MILLIS
            + " ms");
    return outcome;
  }

  private void start(int i, String mode, int stallAt) throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx96m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                FencingWorker.class.getName(),
                root.toString(),
                mode,
                Integer.toString(EACH),
                dir.resolve("p" + i + ".result").toString(),
                Integer.toString(stallAt))
            .redirectError(dir.resolve("p" + i + ".log").toFile())
            .start();
    processes.add(p);
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    lines.add(queue);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (!line.startsWith("REFUSED")) {
                    queue.add(line);
                  }
                }
              } catch (IOException gone) {
                // The process ended; its exit code tells.
              }
            },
            "fencing-p" + i);
    reader.setDaemon(true);
    reader.start();
  }

  /** The next line worker {@code i} printed, waiting up to {@code wait} for it. */
  private String line(int i, Duration wait) throws Exception {
    @Nullable String line = lines.get(i).poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(line).as("a line from p%d within %s: %s", i, wait, log(i)).isNotNull();
    return line;
  }

  /** Lets worker {@code i} go on. */
  private void tell(int i) throws IOException {
    Writer in =
        new java.io.OutputStreamWriter(processes.get(i).getOutputStream(), StandardCharsets.UTF_8);
    in.write("go\n");
    in.flush();
  }

  private int counter() {
    return phi.state().get("counter").map(v -> v.valueOrThrow().asInt()).orElse(0);
  }

  private String plainFile() throws IOException {
    return Files.readString(root.resolve("shared/state/counter.json")).trim();
  }

  private String log(int i) throws IOException {
    Path log = dir.resolve("p" + i + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
