package io.phisync.bench.process;

import io.phisync.protocol.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The entry point of a benchmark child JVM: {@code ChildMain ROLE key=value...}. It prepares,
 * prints {@code ready}, waits for {@code go} on stdin, runs, and prints {@code result <json>}.
 * Stdout is the parent's channel (and {@code progress <text>} lines on the way); anything else a
 * library logs goes to stderr.
 */
public final class ChildMain {
  private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  private ChildMain() {}

  /** Tells the parent's progress display what the timed part is doing now (one line). */
  static void progress(String step) {
    OUT.println("progress " + step.replace('\n', ' '));
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = OUT;
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    try (Role role = Roles.of(args[0], new ChildOptions(options))) {
      role.prepare();
      out.println("ready");
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (!"go".equals(in.readLine())) {
        return;
      }
      ChildResult result = role.run();
      out.println("result " + Json.compact(result));
    }
    System.exit(0);
  }
}
