package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HelpTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "init",
        "send",
        "request",
        "recv",
        "reply",
        "nack",
        "inbox",
        "dlq",
        "dlq list",
        "dlq show",
        "dlq retry",
        "dlq purge",
        "status",
        "trace",
        "publish",
        "subscribe",
        "events",
        "agent",
        "agent run",
        "demo",
        "crdt",
        "crdt inc",
        "crdt dec",
        "crdt add",
        "crdt remove",
        "crdt set",
        "crdt get",
        "crdt list",
        "mcp",
        "workflow",
        "workflow run",
        "workflow status",
        "workflow list",
        "workflow resume",
        "workflow retry",
        "workflow cancel"
      })
  void everyCommand_hasHelp(String command) {
    String[] args = (command + " --help").strip().split(" ");

    Cli.Result result = Cli.run(args);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Usage: phisync").contains("--help");
  }

  /** Every command of the tree, however nested, answers --help with its usage. */
  @Test
  void everyCommandInTheTree_hasHelp() {
    java.util.List<String> commands = new java.util.ArrayList<>();
    collect(
        Main.commandLine(
            java.util.Map.of(),
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(java.io.Writer.nullWriter())),
        "",
        commands);
    assertThat(commands)
        .contains(
            "workflow validate",
            "workflow graph",
            "approve",
            "reject",
            "approvals",
            "approver init",
            "approver trust",
            "approver list",
            "approver show");
    for (String command : commands) {
      Cli.Result result = Cli.run((command + " --help").split(" "));
      assertThat(result.exitCode()).as(command).isZero();
      assertThat(result.out()).as(command).contains("Usage: phisync " + command).contains("--help");
    }
  }

  private static void collect(
      picocli.CommandLine line, String prefix, java.util.List<String> commands) {
    line.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().name().equals(name) || "generate-completion".equals(name)) {
                return; // an alias, or picocli's own completion script generator
              }
              String command = prefix.isEmpty() ? name : prefix + " " + name;
              commands.add(command);
              collect(sub, command, commands);
            });
  }

  @Test
  void topLevelHelp_documentsTheExitCodes_andListsWorkflow() {
    String help = Cli.run("--help").out();

    assertThat(help).contains("124").contains("PHISYNC_ROOT").contains("workflow");
  }

  @Test
  void version_printsIt() {
    Cli.Result result = Cli.run("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("phisync ");
  }

  @Test
  void noCommand_orAnUnknownOne_isAUsageError() {
    assertThat(Cli.run().exitCode()).isEqualTo(ExitCodes.USAGE);
    Cli.Result unknown = Cli.run("sned");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("sned");
  }

  @Test
  void generateCompletion_printsABashScriptThatCompletesTheCommands() {
    Cli.Result result = Cli.run("generate-completion");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("complete -F").contains("recv").contains("nack");
  }
}
