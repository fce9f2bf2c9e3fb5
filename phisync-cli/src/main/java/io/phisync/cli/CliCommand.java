package io.phisync.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command: picocli fills in the options, {@link #call} hands off to a task. */
@Command
abstract class CliCommand implements Callable<Integer> {
  @Spec
  @SuppressWarnings("NullAway.Init") // Injected by picocli before call().
  CommandSpec spec;

  Session session() {
    return Session.of(spec);
  }
}
