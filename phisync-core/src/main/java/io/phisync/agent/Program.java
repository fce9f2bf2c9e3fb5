package io.phisync.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A configured program that handles a command: its {@link #handler()} runs it once per message,
 * with the envelope as JSON on its standard input. Its standard output, a JSON object (or nothing:
 * an empty object), is the response payload; a non-zero exit is a failure whose reason is its
 * standard error (the first {@value #MAX_STDERR_BYTES} bytes). A program still running after {@code
 * timeout} is killed with all its descendants, and that is a failure too.
 *
 * <p>The program and its arguments come from configuration only: nothing from a message is ever put
 * on its command line or chooses what runs. It gets the environment of this process, plus {@code
 * env}, plus {@code PHISYNC_AGENT}, {@code PHISYNC_MESSAGE_ID} and {@code PHISYNC_ATTEMPT}.
 *
 * @param command the program (a path, or a name looked up on {@code PATH}) and its arguments
 * @param timeout how long one run may take
 * @param env variables added to its environment
 */
public record Program(List<String> command, Duration timeout, Map<String, String> env) {
  /** Standard output beyond this is a failure: a response payload is not a bulk channel. */
  public static final int MAX_STDOUT_BYTES = 1 << 20;

  /** Standard error is kept up to this many bytes for the failure's reason. */
  public static final int MAX_STDERR_BYTES = 4096;

  /** The timeout when none is configured. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public Program {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException("a program needs a command: its path or name first");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a program's timeout must be positive, got " + timeout);
    }
  }

  /** The program with these arguments, the default timeout and no extra environment. */
  public static Program of(List<String> command) {
    return new Program(command, DEFAULT_TIMEOUT, Map.of());
  }

  /** The same program with another timeout. */
  public Program withTimeout(Duration value) {
    return new Program(command, value, env);
  }

  /** A handler that runs this program once per message. */
  public AgentHandler handler() {
    return new ProgramHandler(this);
  }
}
