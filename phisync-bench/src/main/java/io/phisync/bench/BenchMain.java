package io.phisync.bench;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** The entry point of {@code phisync-bench.jar}; {@code phisync bench} runs it. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = run(System.getenv(), out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; never exits the JVM. */
  static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return new CommandLine(new BenchCommand(env)).setOut(out).setErr(err).execute(args);
  }
}
