package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.workflow.RunOptions;
import io.phisync.workflow.RunView;
import io.phisync.workflow.RunView.StepView;
import io.phisync.workflow.WorkflowDefinition;
import io.phisync.workflow.Workflows;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * The codex's workflows run for real: four agents as separate {@code phisync agent run} processes
 * serving the example Python programs, this process as the orchestrator {@code dc}, and a demo
 * approver {@code stryk} whose key lives in a temporary home outside the root. Every wait is
 * bounded; on failure the agents are killed.
 */
final class Demo {
  static final AgentName DC = AgentName.of("dc");
  static final AgentName APPROVER = AgentName.of("stryk");
  private static final List<String> AGENTS = List.of("webc", "vssc", "kalic", "cmdc");
  private static final Duration START_UP = Duration.ofSeconds(90);
  private static final Duration RUN = Duration.ofMinutes(3);
  private static final Duration DRAIN = Duration.ofSeconds(30);

  /** One example workflow and its input. */
  private record Example(String file, ObjectNode input, String about) {}

  private final Session session;
  private final PrintWriter out;

  Demo(Session session) {
    this.session = session;
    this.out = session.out();
  }

  int run(boolean all, boolean clean, @Nullable Path examplesDir) throws InterruptedException {
    Path examples = examplesDir != null ? examplesDir : findExamples();
    if (!Files.isRegularFile(examples.resolve("release.yaml"))) {
      throw CliException.usage("no release.yaml in the examples directory " + examples);
    }
    requirePython();
    Path given = session.explicitRoot();
    Path root = given != null ? given : temporary("phisync-demo-");
    Path home = temporary("phisync-demo-home-");
    boolean cleanUp = given == null && clean;
    List<Example> chosen = all ? allExamples() : allExamples().subList(0, 1);
    List<RunView> runs;
    try {
      runs = demo(root, home, examples, chosen);
    } finally {
      if (clean) {
        deleteQuietly(home);
      }
      if (cleanUp) {
        deleteQuietly(root);
      }
    }
    out.println();
    if (cleanUp) {
      out.println("Removed " + root + ". Without --clean the demo keeps its files to look at.");
    } else {
      footer(root, home, runs);
    }
    out.flush();
    boolean completed = runs.stream().allMatch(r -> WorkflowTasks.exitCode(r) == ExitCodes.OK);
    return completed ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private static List<Example> allExamples() {
    return List.of(
        new Example(
            "release.yaml",
            Json.object().put("feature", "OAuth2 module").put("findings", 2),
            "research, build, audit; the audit finds 2 vulnerabilities, so stryk must approve"
                + " the deploy"),
        new Example(
            "log-analysis.yaml",
            Json.object().put("chunks", 8),
            "10,000 log lines analyzed in 8 chunks by cmdc, the counts summed"),
        new Example(
            "vuln-fix.yaml",
            Json.object().put("target", "src/"),
            "a high-severity finding, an approved auto-fix, regression tests in parallel,"
                + " verification, deploy"));
  }

  private List<RunView> demo(Path root, Path home, Path examples, List<Example> chosen)
      throws InterruptedException {
    out.println("PhiSync demo: the codex's workflows, run for real through one shared directory.");
    out.println("This process is the orchestrator dc; each agent is a separate process.");
    out.println();
    try (PhiSync phi =
        PhiSync.builder(root)
            .durability(session.durability())
            .pollingMode(session.pollingMode())
            .approverHome(home)
            .open()) {
      List<AgentName> names = new ArrayList<>(List.of(DC));
      AGENTS.forEach(a -> names.add(AgentName.of(a)));
      phi.init(names);
      out.println("  root      " + phi.root().toAbsolutePath());
      Approver approver = new Approver(session, root, home);
      approver.init(out);
      Map<String, ChildProcess> agents = new LinkedHashMap<>();
      try {
        startAgents(root, examples, agents);
        List<RunView> runs = new ArrayList<>();
        Workflows workflows = WorkflowTasks.engine(phi);
        for (Example example : chosen) {
          runs.add(runOne(phi, workflows, examples.resolve(example.file()), example, approver));
        }
        stopAgents(root, agents);
        return runs;
      } finally {
        agents.values().forEach(ChildProcess::close);
      }
    }
  }

  private void startAgents(Path root, Path examples, Map<String, ChildProcess> agents)
      throws InterruptedException {
    for (String agent : AGENTS) {
      Path handlers = examples.resolve("agents").resolve(agent + ".yaml");
      List<String> args = new ArrayList<>(List.of("--root", root.toAbsolutePath().toString()));
      args.addAll(session.globalFlags());
      args.addAll(
          List.of(
              "agent",
              "run",
              "--agent",
              agent,
              "--handlers",
              handlers.toString(),
              "--concurrency",
              agent.equals("cmdc") ? "4" : "1",
              "--heartbeat",
              "1s",
              "--drain",
              io.phisync.bus.Durations.format(DRAIN)));
      agents.put(agent, ChildProcess.start(args));
    }
    for (Map.Entry<String, ChildProcess> e : agents.entrySet()) {
      e.getValue().awaitLine("agent " + e.getKey() + " running", START_UP);
      out.printf(
          "  %-8s  phisync agent run --handlers %s   (pid %d)%n",
          e.getKey(),
          examples.relativize(examples.resolve("agents").resolve(e.getKey() + ".yaml")),
          e.getValue().pid());
    }
    out.println();
    out.flush();
  }

  private RunView runOne(
      PhiSync phi, Workflows workflows, Path file, Example example, Approver approver)
      throws InterruptedException {
    out.println("== " + file.getFileName() + ": " + example.about());
    out.println("   input " + Json.compact(example.input()));
    out.flush();
    WorkflowDefinition definition = workflows.load(file);
    RunProgress progress =
        new RunProgress(out, Terminal.isInteractive(), phi.root())
            .onApproval(
                (runId, step) -> {
                  approver.awaitRequest(phi, runId, step.id());
                  approver.approve(out, runId, step);
                });
    Workflows.RunHandle handle =
        workflows.start(definition, example.input(), RunOptions.as(DC).withListener(progress));
    progress.header(handle.runId(), definition.name());
    long deadline = System.nanoTime() + RUN.toNanos();
    while (handle.await(Duration.ZERO).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new CliException(
            ExitCodes.FAILURE,
            "run "
                + handle.runId()
                + " did not end within "
                + io.phisync.bus.Durations.format(RUN)
                + "; look at it with 'phisync --root "
                + phi.root()
                + " workflow status "
                + handle.runId()
                + "'");
      }
      progress.update(Duration.ofMillis(200));
    }
    RunView end = handle.await(Duration.ZERO).orElseThrow();
    progress.showNow(end);
    progress.summary(end);
    out.println();
    out.flush();
    return end;
  }

  private void stopAgents(Path root, Map<String, ChildProcess> agents) throws InterruptedException {
    out.println("Stopping the agents (SIGTERM: each drains its work in flight, then exits):");
    agents.values().forEach(ChildProcess::terminate);
    for (Map.Entry<String, ChildProcess> e : agents.entrySet()) {
      e.getValue().awaitExit(DRAIN.plusSeconds(30));
      // What the agent wrote of itself last (PROTOCOL.md: <agent>/state.json).
      tools.jackson.databind.JsonNode state = Json.object();
      try {
        state = Json.parse(Files.readString(root.resolve(e.getKey()).resolve("state.json")));
      } catch (IOException | RuntimeException unreadable) {
        // Shown as unknown below.
      }
      out.printf(
          "  agent %s %s: %d processed, %d failed%n",
          e.getKey(),
          state.path("status").asString("unknown"),
          state.path("processed").asLong(),
          state.path("failed").asLong());
    }
  }

  private void footer(Path root, Path home, List<RunView> runs) {
    Path abs = root.toAbsolutePath();
    out.println("Where the files are (all under " + abs + "):");
    for (RunView run : runs) {
      out.println("  journal    " + abs.resolve("shared/workflows/" + run.runId() + ".journal"));
    }
    out.println("  approvals  " + abs.resolve("shared/approvals"));
    out.println(
        "  inboxes    " + abs.resolve("<agent>/inbox") + "  (processed/ keeps what was served)");
    out.println("  outboxes   " + abs.resolve("<agent>/outbox") + "  (the responses)");
    out.println("  approver   " + home.toAbsolutePath() + "  (outside the root: stryk's key)");
    out.println();
    out.println("Look closer:");
    String prefix = "  phisync --root " + abs + " ";
    RunView first = runs.get(0);
    out.println(prefix + "workflow list");
    out.println(prefix + "workflow status " + first.runId());
    out.println(prefix + "workflow graph " + first.runId());
    out.println(prefix + "trace " + first.runId() + "     (every message of the run)");
    out.println(prefix + "approvals");
  }

  /** The demo approver: its key in a home of its own, outside the root. */
  private static final class Approver {
    private final Session session;
    private final Path root;
    private final Path home;

    Approver(Session session, Path root, Path home) {
      this.session = session;
      this.root = root;
      this.home = home;
    }

    void init(PrintWriter out) {
      Cli result = phisync("approver", "init", "--name", APPROVER.value());
      String key = result.field("private key:").replace(" (readable only by you)", "");
      String keyId = result.field("key id:");
      out.printf(
          "  approver  demo approver %s, key %s, keyId %s%n"
              + "            (a temporary PHISYNC_HOME, outside the root: agents cannot sign)%n",
          APPROVER, key, keyId);
    }

    /** Waits (bounded) until the engine has written the request file the approver reads. */
    void awaitRequest(PhiSync phi, String runId, String step) {
      long deadline = System.nanoTime() + START_UP.toNanos();
      try (io.phisync.spi.Wakeup wakeup = phi.approvals().watch()) {
        while (phi.approvals().find(runId, step).isEmpty()) {
          if (System.nanoTime() > deadline) {
            throw new CliException(
                ExitCodes.FAILURE, "no approval request for " + runId + " " + step + " appeared");
          }
          wakeup.await(Duration.ofMillis(100));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCodes.FAILURE, "interrupted");
      }
    }

    void approve(PrintWriter out, String runId, StepView step) {
      String comment = "demo approver: reviewed the findings, go ahead";
      out.printf(
          "           %s approves: PHISYNC_HOME=%s phisync approve %s %s --comment '%s'%n",
          APPROVER, home, runId, step.id(), comment);
      out.flush();
      phisync("approve", runId, step.id(), "--as", APPROVER.value(), "--comment", comment);
    }

    /** Runs a phisync command in this process, as the approver, in its home. */
    private Cli phisync(String... args) {
      Map<String, String> env = new HashMap<>(session.env());
      env.put("PHISYNC_HOME", home.toAbsolutePath().toString());
      List<String> all = new ArrayList<>(List.of("--root", root.toAbsolutePath().toString()));
      all.addAll(session.globalFlags());
      all.addAll(List.of(args));
      StringWriter text = new StringWriter();
      StringWriter errors = new StringWriter();
      int code =
          Main.run(
              env,
              new PrintWriter(text, true),
              new PrintWriter(errors, true),
              all.toArray(String[]::new));
      if (code != 0) {
        throw new CliException(
            ExitCodes.FAILURE,
            "phisync " + String.join(" ", args) + " failed (exit " + code + "): " + errors);
      }
      return new Cli(text.toString());
    }
  }

  /** What an in-process command printed. */
  private record Cli(String out) {
    /** The rest of the line that starts with {@code label}, trimmed, or "?". */
    String field(String label) {
      return out.lines()
          .filter(l -> l.startsWith(label))
          .map(l -> l.substring(label.length()).strip())
          .findFirst()
          .orElse("?");
    }
  }

  /** examples/ of the checkout this jar or class directory belongs to, or of the working dir. */
  static Path findExamples() {
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    try {
      starts.add(
          Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath());
    } catch (URISyntaxException | RuntimeException e) {
      // Only the working directory then.
    }
    for (Path start : starts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve("examples/release.yaml"))) {
          return dir.resolve("examples");
        }
      }
    }
    throw CliException.usage(
        "cannot find the examples directory (examples/release.yaml) above "
            + starts.get(0)
            + "; run the demo from the checkout or give --examples DIR");
  }

  private static void requirePython() throws InterruptedException {
    String problem;
    try {
      Process p =
          new ProcessBuilder("python3", "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
      p.destroyForcibly();
      problem = "'python3 --version' failed";
    } catch (IOException e) {
      problem = "python3 is not on the PATH";
    }
    throw CliException.usage(
        problem + ": the demo's agents are the Python 3 programs in examples/agents");
  }

  private static Path temporary(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
  }

  /** Best effort: a failure to clean up must not hide why the demo stopped. */
  private void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (UncheckedIOException e) {
      session.err().println("phisync: could not remove " + dir + ": " + e.getCause());
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + root, e);
    }
  }
}
