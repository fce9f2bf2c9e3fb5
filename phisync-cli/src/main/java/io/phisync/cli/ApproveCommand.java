package io.phisync.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = {
      "Approve a workflow's approval step: shows what is asked, signs the "
          + "decision with your approver key (outside the root) and writes it next to "
          + "the request.",
      "Exit 3: no such request (the pending ones are listed); 4: decided already, "
          + "closed or expired; 2: no approver key here (run 'phisync approver init') "
          + "or not an allowed approver."
    })
final class ApproveCommand extends CliCommand {
  /** RUN STEP --comment --as --home, shared with reject. */
  static final class Decision {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    @SuppressWarnings("NullAway.Init")
    String run;

    @Parameters(index = "1", paramLabel = "STEP", description = "The approval step's id.")
    @SuppressWarnings("NullAway.Init")
    String step;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why (signed with it).")
    String comment = "";

    @Option(
        names = "--as",
        paramLabel = "NAME",
        description = "The approver key to sign with (default: the only one in the home).")
    @Nullable String as;

    @Option(
        names = "--home",
        paramLabel = "DIR",
        description = "Where the approver keys are (default: $PHISYNC_HOME, else ~/.phisync).")
    @Nullable Path home;
  }

  @picocli.CommandLine.Mixin Decision decision = new Decision();

  @Override
  public Integer call() {
    return new ApprovalTasks(session()).decide(decision, /* approved= */ true);
  }
}
