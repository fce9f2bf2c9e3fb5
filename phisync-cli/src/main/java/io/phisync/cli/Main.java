package io.phisync.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** The entry point of {@code phisync.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    // "phisync mcp" speaks JSON-RPC on the raw stdout; a stray print from a library goes to stderr.
    StandardStreams stdio =
        new StandardStreams(System.in, System.out, () -> System.setOut(System.err));
    int code = execute(System.getenv(), stdio, out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; never exits the JVM. */
  static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return execute(env, StandardStreams.none(), out, err, args);
  }

  /** The one command the arguments name when it can run alone (fast), else the whole tree. */
  private static int execute(
      Map<String, String> env,
      StandardStreams stdio,
      PrintWriter out,
      PrintWriter err,
      String... args) {
    int code = new LeanCommandLine(env, stdio, out, err, new Failures(env)).execute(args);
    return code != LeanCommandLine.WHOLE_TREE
        ? code
        : commandLine(env, stdio, out, err).execute(args);
  }

  /** The configured command line, for tests and for {@link #main}. */
  static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    return commandLine(env, StandardStreams.none(), out, err);
  }

  private static CommandLine commandLine(
      Map<String, String> env, StandardStreams stdio, PrintWriter out, PrintWriter err) {
    Failures failures = new Failures(env);
    return new CommandLine(new PhisyncCommand(env, stdio))
        // "--payload @file.json" is ours to read: no picocli argument files.
        .setExpandAtFiles(false)
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(failures)
        .setParameterExceptionHandler(failures);
  }
}
