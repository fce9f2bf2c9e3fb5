package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** inbox, status, trace and dlq: text for people, --json for machines. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListingCommandsTest {
  @TempDir Path root;

  @BeforeEach
  void init() {
    assertThat(phisync("init", "--agents", "dc,webc").exitCode()).isZero();
  }

  private Cli.Result phisync(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--root";
    all[1] = root.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  private String send(String command) {
    return phisync("send", "--from", "dc", "--to", "webc", "--command", command).out().strip();
  }

  /** A request that expired before anyone took it: the next recv dead-letters it. */
  private String deadLetterAnExpiredRequest() {
    try (PhiSync phi = PhiSync.open(root)) {
      Envelope expired =
          Envelope.builder()
              .type(MessageType.REQUEST)
              .from(AgentName.of("dc"))
              .to(AgentName.of("webc"))
              .expiresAt(OffsetDateTime.now().minusMinutes(1))
              .payload(Json.object().put("command", "late"))
              .build();
      phi.bus().send(expired);
      assertThat(phisync("recv", "--agent", "webc").exitCode())
          .isEqualTo(ExitCodes.NOTHING_RECEIVED);
      return expired.id();
    }
  }

  @Test
  void inbox_listsPendingMessages_asTextAndJson() {
    String id = send("research");

    Cli.Result text = phisync("inbox", "--agent", "webc");
    Cli.Result json = phisync("inbox", "--agent", "webc", "--json");

    assertThat(text.exitCode()).isZero();
    assertThat(text.out()).contains("ID").contains(id).contains("research").contains("request");
    JsonNode list = Json.parse(json.out());
    assertThat(list.isArray()).isTrue();
    assertThat(list.get(0).get("id").asString()).isEqualTo(id);
  }

  @Test
  void inbox_ofAnUnknownAgent_exits2() {
    Cli.Result result = phisync("inbox", "--agent", "kalic");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("unknown agent 'kalic'");
  }

  @Test
  void status_showsEveryAgent_asTextAndJson() {
    send("research");
    send("research");

    Cli.Result text = phisync("status");
    Cli.Result json = phisync("status", "--json");

    assertThat(text.out()).contains("AGENT").contains("HEARTBEAT").contains("webc");
    JsonNode agents = Json.parse(json.out());
    assertThat(agents).hasSize(2);
    JsonNode webc = agents.get(1);
    assertThat(webc.get("agent").asString()).isEqualTo("webc");
    assertThat(webc.get("status").asString()).isEqualTo("initialized");
    assertThat(webc.get("pending").asInt()).isEqualTo(2);
    assertThat(webc.get("claimed").asInt()).isZero();
    assertThat(webc.get("deadLetters").asInt()).isZero();
    assertThat(webc.get("heartbeatAgeMillis").isNumber()).isTrue();
  }

  @Test
  void trace_showsEveryFileOfAConversation_inOrder() {
    String id = send("research");
    phisync("recv", "--agent", "webc");
    phisync("reply", "--agent", "webc", "--id", id, "--payload", "{\"ok\":true}");

    Cli.Result text = phisync("trace", id);
    Cli.Result json = phisync("trace", id, "--json");

    assertThat(text.exitCode()).isZero();
    assertThat(text.out()).contains("processed").contains("response");
    JsonNode entries = Json.parse(json.out());
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).get("state").asString()).isEqualTo("processed");
    assertThat(entries.get(0).get("envelope").get("id").asString()).isEqualTo(id);
    assertThat(entries.get(1).get("state").asString()).isEqualTo("response");
    assertThat(entries.get(1).get("location").asString())
        .isEqualTo("webc/outbox/resp-" + id + ".json");
  }

  @Test
  void dlq_listShowRetryPurge() {
    String id = deadLetterAnExpiredRequest();

    JsonNode list = Json.parse(phisync("dlq", "list", "--json").out());
    assertThat(list).hasSize(1);
    String entry = list.get(0).get("entryId").asString();
    assertThat(list.get(0).get("messageId").asString()).isEqualTo(id);
    assertThat(phisync("dlq", "list").out()).contains(entry).contains("expired");

    Cli.Result show = phisync("dlq", "show", entry);
    assertThat(show.out()).contains("reason:").contains("expired").contains("\"late\"");
    assertThat(Json.parse(phisync("dlq", "show", entry, "--json").out()).get("agent").asString())
        .isEqualTo("webc");

    Cli.Result retry = phisync("dlq", "retry", entry);
    assertThat(retry.exitCode()).isZero();
    assertThat(retry.out().strip()).isEqualTo(id);
    assertThat(phisync("inbox", "--agent", "webc").out()).contains(id);
    assertThat(Json.parse(phisync("dlq", "list", "--json").out())).isEmpty();
  }

  @Test
  void dlq_purgeOneOrAll() throws Exception {
    Path bad = root.resolve("webc/inbox/req-broken.json");
    Files.writeString(bad, "{ not json");
    Files.setLastModifiedTime(bad, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    phisync("recv", "--agent", "webc");
    deadLetterAnExpiredRequest();
    JsonNode list = Json.parse(phisync("dlq", "list", "--json").out());
    assertThat(list).hasSize(2);

    Cli.Result one = phisync("dlq", "purge", list.get(0).get("entryId").asString());
    assertThat(one.exitCode()).isZero();
    Cli.Result all = phisync("dlq", "purge", "--all");
    assertThat(all.out()).contains("purged 1 dead letter");
    assertThat(Json.parse(phisync("dlq", "list", "--json").out())).isEmpty();
  }

  @Test
  void dlq_unknownEntry_exits2() {
    assertThat(phisync("dlq", "show", "nope").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(phisync("dlq", "retry", "nope").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(phisync("dlq", "purge", "nope").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(phisync("dlq", "purge").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void trace_ofAnInvalidId_exits2() {
    Cli.Result result = phisync("trace", "a/b");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("a message id is");
    assertThat(MessageId.of("ok")).isNotNull();
  }
}
