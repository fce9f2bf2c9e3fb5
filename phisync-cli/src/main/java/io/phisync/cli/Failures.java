package io.phisync.cli;

import io.phisync.bus.RequestTimeoutException;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.spi.DuplicateMessageException;
import io.phisync.spi.LeaseLostException;
import io.phisync.spi.UnknownAgentException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Turns failures into one clear line on stderr and a documented exit code. */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final String DEBUG_VARIABLE = "PHISYNC_DEBUG";

  private final boolean debug;

  Failures(Map<String, String> env) {
    this.debug = env.containsKey(DEBUG_VARIABLE);
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("phisync: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    int code = exitCode(ex);
    if (code == ExitCodes.FAILURE) {
      err.println("phisync: unexpected failure: " + ex);
      if (debug) {
        ex.printStackTrace(err);
      } else {
        err.println("(set " + DEBUG_VARIABLE + "=1 to see where)");
      }
    } else {
      err.println("phisync: " + ex.getMessage());
    }
    err.flush();
    return code;
  }

  static int exitCode(Exception ex) {
    if (ex instanceof CliException) {
      return ((CliException) ex).exitCode();
    }
    if (ex instanceof RequestTimeoutException) {
      return ExitCodes.TIMED_OUT;
    }
    if (ex instanceof DuplicateMessageException
        || ex instanceof LeaseLostException
        || ex instanceof io.phisync.state.StateConflictException
        || ex instanceof io.phisync.state.FencedWriteException
        || ex instanceof io.phisync.lock.LockTimeoutException
        || ex instanceof io.phisync.stream.WrongExpectedVersionException) {
      return ExitCodes.CONFLICT;
    }
    if (ex instanceof UnknownAgentException
        || ex instanceof MalformedMessageException
        // InvalidNameException and the core's other checks of input.
        || ex instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILURE;
  }
}
