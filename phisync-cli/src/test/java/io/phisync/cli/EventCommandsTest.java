package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class EventCommandsTest {
  @TempDir Path root;

  private Cli.Result run(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--root";
    all[1] = root.toString();
    all[2] = "--fast";
    System.arraycopy(args, 0, all, 3, args.length);
    return Cli.run(all);
  }

  @BeforeEach
  void init() {
    assertThat(run("init", "--agents", "dc,kalic").exitCode()).isZero();
  }

  @Test
  void publishThenSubscribe_printsMissedEventsOnce_asJsonLines() {
    Cli.Result published =
        run(
            "publish",
            "--from",
            "kalic",
            "--type",
            "vulnerability_found",
            "--topic",
            "alerts",
            "--severity",
            "high",
            "--data",
            "{\"file\":\"user_query.ps1\"}");
    assertThat(published.exitCode()).as(published.err()).isZero();
    assertThat(published.out().trim()).endsWith(" alerts#1");
    run("publish", "--from", "kalic", "--type", "scan_done", "--topic", "alerts");

    Cli.Result first = run("subscribe", "--agent", "dc", "--min-severity", "medium");
    assertThat(first.exitCode()).as(first.err()).isZero();
    String[] lines = first.out().trim().split("\n");
    assertThat(lines).hasSize(1);
    var event = Json.parse(lines[0]);
    assertThat(event.get("eventType").asString()).isEqualTo("vulnerability_found");
    assertThat(event.get("sequence").asLong()).isEqualTo(1);
    assertThat(event.get("data").get("file").asString()).isEqualTo("user_query.ps1");

    assertThat(run("subscribe", "--agent", "dc").out()).isEmpty();
    assertThat(run("subscribe", "--agent", "dc", "--name", "other").out().trim().split("\n"))
        .hasSize(2);
  }

  @Test
  void events_listsWithoutMovingCursors_andBadInputIsAUsageError() {
    run("publish", "--from", "kalic", "--type", "a");
    run("publish", "--from", "kalic", "--type", "b", "--topic", "builds");
    Cli.Result table = run("events");
    assertThat(table.out()).contains("default", "builds", "kalic");
    Cli.Result json = run("events", "--json", "--topic", "builds", "--since", "1h");
    assertThat(Json.parse(json.out())).hasSize(1);
    assertThat(run("subscribe", "--agent", "dc").out().trim().split("\n")).hasSize(2);

    assertThat(run("publish", "--from", "kalic", "--type", "x", "--topic", "Bad.Topic").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    Cli.Result severity = run("publish", "--from", "kalic", "--type", "x", "--severity", "loud");
    assertThat(severity.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(severity.err()).contains("critical");
    Cli.Result ghost = run("subscribe", "--agent", "ghost");
    assertThat(ghost.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(ghost.err()).contains("ghost");
  }
}
