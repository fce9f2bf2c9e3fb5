package io.phisync.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the codex's release workflow for real: research, build, audit, a human "
          + "approval, deploy.",
      "The agents webc, vssc, kalic and cmdc run as separate processes (the "
          + "Python programs in examples/agents under 'phisync agent run'); this "
          + "process is the orchestrator dc; a demo approver 'stryk', with its own key "
          + "in a temporary PHISYNC_HOME, signs the approval.",
      "Uses a fresh temporary root unless --root is given and keeps it so you can "
          + "look at the files; --clean removes it at the end. Needs python3."
    })
final class DemoCommand extends CliCommand {
  @Option(
      names = "--all",
      description = "Run all three example workflows: release, log-analysis and vuln-fix.")
  boolean all;

  @Option(names = "--clean", description = "Remove the temporary root and home at the end.")
  boolean clean;

  @Option(
      names = "--examples",
      paramLabel = "DIR",
      description = "The examples directory (default: examples/ of this checkout).")
  @Nullable Path examples;

  @Override
  public Integer call() throws InterruptedException {
    return new Demo(session()).run(all, clean, examples);
  }
}
