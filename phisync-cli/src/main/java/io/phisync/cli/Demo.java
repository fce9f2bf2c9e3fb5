package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.spi.TraceEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A request/response round trip between two processes through a fresh root: {@code dc} here, {@code
 * webc} in a second JVM. Every wait is bounded; on failure the child is killed.
 */
final class Demo {
  static final AgentName DC = AgentName.of("dc");
  static final AgentName WEBC = AgentName.of("webc");
  private static final List<String> TOPICS =
      List.of(
          "OAuth2 best practices",
          "file-based IPC on Windows",
          "CRDT counters",
          "fencing tokens",
          "exponential backoff");
  private static final Duration START_UP = Duration.ofSeconds(60);
  private static final Duration ROUND_TRIP = Duration.ofSeconds(20);
  private static final Duration EXIT = Duration.ofSeconds(20);

  private final Session session;
  private final PrintWriter out;

  Demo(Session session) {
    this.session = session;
    this.out = session.out();
  }

  int run(boolean clean, int requests) throws InterruptedException {
    if (requests < 1 || requests > TOPICS.size()) {
      throw CliException.usage("--requests must be 1 to " + TOPICS.size() + ", got " + requests);
    }
    Path given = session.explicitRoot();
    Path root = given != null ? given : temporaryRoot();
    boolean cleanUp = given == null && clean;
    String firstId;
    try {
      firstId = roundTrips(root, requests);
    } finally {
      if (cleanUp) {
        deleteTree(root);
      }
    }
    out.println();
    if (cleanUp) {
      out.println("Removed " + root + ". Without --clean the demo keeps its files to look at.");
    } else {
      out.println("The files are in " + root + ". Look at one conversation with:");
      out.println("  phisync --root " + root + " trace " + firstId);
      out.println("  phisync --root " + root + " status");
    }
    return ExitCodes.OK;
  }

  private String roundTrips(Path root, int requests) throws InterruptedException {
    out.println("PhiSync demo: dc asks webc for research; webc answers from a second JVM.");
    out.println("Every message is a JSON file under one shared directory.");
    out.println();
    try (PhiSync phi = session.create(root)) {
      phi.init(List.of(DC, WEBC));
      out.println("  root  " + phi.root().toAbsolutePath());
      out.flush();
      List<String> args = new ArrayList<>(List.of("--root", root.toAbsolutePath().toString()));
      args.addAll(session.globalFlags());
      args.addAll(
          List.of("serve-demo", "--agent", WEBC.value(), "--count", String.valueOf(requests)));
      try (ChildProcess webc = ChildProcess.start(args)) {
        webc.awaitLine(DemoResponder.READY, START_UP);
        out.println("  webc  listening in a second JVM (pid " + webc.pid() + ")");
        out.println();
        out.flush();
        String firstId = null;
        for (int i = 0; i < requests; i++) {
          Envelope response = roundTrip(phi, i, webc);
          firstId = firstId == null ? response.correlationId() : firstId;
        }
        int exit = webc.awaitExit(EXIT);
        if (exit != 0) {
          throw webc.failure("exited with code " + exit);
        }
        out.println();
        out.println(requests + " round trips done; webc answered and exited.");
        String id = java.util.Objects.requireNonNull(firstId);
        showTrace(phi, id);
        return id;
      }
    }
  }

  private Envelope roundTrip(PhiSync phi, int i, ChildProcess webc) throws InterruptedException {
    String topic = TOPICS.get(i);
    long start = System.nanoTime();
    Envelope response;
    try {
      response =
          phi.bus().call(DC, WEBC, "research", Json.object().put("topic", topic), ROUND_TRIP);
    } catch (RuntimeException e) {
      throw webc.failure("did not answer: " + e.getMessage());
    }
    double millis = (System.nanoTime() - start) / 1e6;
    out.printf(
        Locale.ROOT,
        "  %d. dc -> webc  research %-30s %s  %6.1f ms%n",
        i + 1,
        '"' + topic + '"',
        response.correlationId(),
        millis);
    out.println("     webc says: " + summary(response.payload()));
    out.flush();
    return response;
  }

  private static String summary(@Nullable JsonNode payload) {
    return payload == null ? "(nothing)" : payload.path("summary").asString("(no summary)");
  }

  private void showTrace(PhiSync phi, String id) {
    out.println();
    out.println("The files of the first conversation (phisync trace " + id + "):");
    Table table = new Table("STATE", "FILE");
    for (TraceEntry entry : phi.trace(id)) {
      table.row(entry.state(), entry.location());
    }
    table.print(out);
  }

  private static Path temporaryRoot() {
    try {
      return Files.createTempDirectory("phisync-demo-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
  }

  static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + root, e);
    }
  }
}
