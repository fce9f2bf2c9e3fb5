package io.phisync.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    description = "List the approval requests that wait for a decision, oldest first.")
final class ApprovalsCommand extends CliCommand {
  @Option(names = "--json", description = "Print the requests as a JSON array.")
  boolean json;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "The approver home (default: $PHISYNC_HOME, else ~/.phisync).")
  @Nullable Path home;

  @Override
  public Integer call() {
    return new ApprovalTasks(session()).pending(home, json);
  }
}
