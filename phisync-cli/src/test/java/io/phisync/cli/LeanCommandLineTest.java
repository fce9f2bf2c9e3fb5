package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;

/**
 * The start-up fast path runs the commands it may run, and hands everything else back untouched
 * (the whole tree then prints what it always printed; HelpTest and the command tests, which run
 * through Main, check that output).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeanCommandLineTest {
  @TempDir Path root;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void init() {
    assertThat(Cli.run("--root", root.toString(), "init", "--agents", "dc,webc").exitCode())
        .isZero();
  }

  private int lean(String... args) {
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    return new LeanCommandLine(Map.of(), StandardStreams.none(), o, e, new Failures(Map.of()))
        .execute(args);
  }

  @Test
  void everyCommandItRunsAlone_isACommandOfTheWholeTree() {
    List<Class<?>> all = List.of(PhisyncCommand.class.getAnnotation(Command.class).subcommands());
    assertThat(all).containsAll(LeanCommandLine.ALONE);
  }

  @Test
  void itsNamesOfTheCommands_areThoseOfTheAnnotations() {
    List<Command> all =
        Stream.of(PhisyncCommand.class.getAnnotation(Command.class).subcommands())
            .map(c -> c.getAnnotation(Command.class))
            .toList();

    assertThat(LeanCommandLine.NAMES)
        .containsExactlyElementsOf(all.stream().map(Command::name).toList());
    assertThat(all).allSatisfy(c -> assertThat(c.aliases()).isEmpty());
    assertThat(LeanCommandLine.ALONE_NAMES)
        .containsExactlyElementsOf(
            LeanCommandLine.ALONE.stream()
                .map(c -> c.getAnnotation(Command.class).name())
                .toList());
  }

  @Test
  void send_runsHere_withTheGlobalOptionsBeforeOrAfterTheCommand() {
    int before =
        lean(
            "--root",
            root.toString(),
            "--fast",
            "send",
            "--from",
            "dc",
            "--to",
            "webc",
            "--command",
            "x");
    int after =
        lean("send", "--from", "dc", "--to", "webc", "--command", "y", "--root=" + root, "--poll");

    assertThat(before).isZero();
    assertThat(after).isZero();
    assertThat(out.toString().lines()).hasSize(2).allMatch(id -> id.matches("[0-9A-Z]{26}"));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aSubcommandOfACommand_runsHere() {
    assertThat(lean("--root", root.toString(), "state", "put", "k", "1")).isZero();
    assertThat(lean("--root", root.toString(), "state", "get", "k")).isZero();
    assertThat(out.toString()).contains("1");
  }

  @Test
  void aFailureWhileRunning_isReportedHere_asTheWholeTreeWould() {
    int code = lean("--root", root.toString(), "state", "get", "absent");
    Cli.Result whole = Cli.run("--root", root.toString(), "state", "get", "absent");

    assertThat(code).isEqualTo(ExitCodes.NOTHING_RECEIVED).isEqualTo(whole.exitCode());
    assertThat(err.toString()).isEqualTo(whole.err());
  }

  @Test
  void aCommandMissingItsSubcommand_reportsItHere_asTheWholeTreeWould() {
    int code = lean("state");
    Cli.Result whole = Cli.run("state");

    assertThat(code).isEqualTo(ExitCodes.USAGE).isEqualTo(whole.exitCode());
    assertThat(err.toString()).isEqualTo(whole.err()).contains("Missing a command");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // no command
        "status", // a command that needs the whole tree (or is not worth it)
        "help send",
        "--help",
        "--version",
        "send --help",
        "send -V",
        "state get --help",
        "send --from dc", // missing options
        "send --from dc --to webc --command x --bogus",
        "send --from bad/name --to webc --command x", // a converter's error
        "--root init send --from dc --to webc --command x", // --root followed by a command name
        "--root",
      })
  void everythingElse_isHandedBack_havingPrintedNothing(String args) {
    String[] split = args.isEmpty() ? new String[0] : args.split(" ");

    assertThat(lean(split)).isEqualTo(LeanCommandLine.WHOLE_TREE);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEmpty();
  }
}
