package io.phisync.cli;

import picocli.CommandLine.Command;

@Command(
    name = "reject",
    mixinStandardHelpOptions = true,
    description = {
      "Reject a workflow's approval step (the step fails as Rejected): shows what "
          + "is asked, signs the decision with your approver key and writes it next to "
          + "the request.",
      "Exit codes as for approve."
    })
final class RejectCommand extends CliCommand {
  @picocli.CommandLine.Mixin ApproveCommand.Decision decision = new ApproveCommand.Decision();

  @Override
  public Integer call() {
    return new ApprovalTasks(session()).decide(decision, /* approved= */ false);
  }
}
