package io.phisync.cli;

import static io.phisync.cli.McpServers.call;
import static io.phisync.cli.McpServers.json;
import static io.phisync.cli.McpServers.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.phisync.PhiSync;
import io.phisync.events.Severity;
import io.phisync.lock.Lease;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.protocol.TopicName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The event, state, lock and CRDT tools of {@code phisync mcp}, one real server process for the
 * class, each effect checked on disk. Every test uses its own topics, keys and locks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpEventsStateLocksTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");

  @TempDir static Path root;
  private final StringBuffer stderr = new StringBuffer();
  private PhiSync phi;
  private McpSyncClient dc;

  @BeforeAll
  void start() {
    phi = PhiSync.open(root);
    phi.init(List.of(DC, WEBC));
    dc = McpServers.start(root, "dc", stderr);
  }

  @AfterAll
  void stop() {
    dc.closeGracefully();
    phi.close();
  }

  @Test
  void publish_writesTheEventFileWithTheServersAgentAsPublisher() throws IOException {
    JsonNode published =
        json(
            call(
                dc,
                "phisync_publish",
                Map.of(
                    "topic",
                    "builds",
                    "eventType",
                    "build_failed",
                    "severity",
                    "high",
                    "data",
                    Map.of("job", 7))));

    long sequence = published.get("sequence").asLong();
    Path file = root.resolve("shared/events/builds/" + String.format("%012d", sequence) + ".json");
    JsonNode written = Json.parse(Files.readString(file));
    assertThat(written.get("id").asString()).isEqualTo(published.get("id").asString());
    assertThat(written.get("publisher").asString()).isEqualTo("dc");
    assertThat(written.get("eventType").asString()).isEqualTo("build_failed");
    assertThat(written.get("severity").asString()).isEqualTo("high");
    assertThat(written.at("/data/job").asInt()).isEqualTo(7);

    CallToolResult spoofed =
        call(
            dc,
            "phisync_publish",
            Map.of("topic", "builds", "eventType", "x", "publisher", "webc"));
    assertThat(spoofed.isError()).isTrue();
  }

  @Test
  void readEvents_movesTheCursorOnlyWhenAcknowledged() throws IOException {
    TopicName topic = TopicName.of("reads");
    for (int i = 1; i <= 3; i++) {
      phi.events().publish(topic, WEBC, "step", Severity.INFO, Json.object().put("n", i));
    }
    phi.events().publish(topic, WEBC, "noise", Severity.DEBUG, null);
    Map<String, Object> filter =
        Map.of("subscription", "ci", "topics", List.of("reads"), "minSeverity", "info");

    JsonNode first = json(call(dc, "phisync_read_events", with(filter, "max", 2)));
    assertThat(first.get("events")).hasSize(2);
    assertThat(first.at("/events/0/data/n").asInt()).isEqualTo(1);
    assertThat(first.at("/events/0/publisher").asString()).isEqualTo("webc");
    assertThat(first.get("more").asBoolean()).isTrue();
    assertThat(first.at("/ack/reads").asLong()).isEqualTo(3);
    assertThat(root.resolve("dc/subscriptions/ci.json")).doesNotExist();

    // Not acknowledged (as after a crash): the same events come again.
    JsonNode again = json(call(dc, "phisync_read_events", with(filter, "max", 2)));
    assertThat(again.at("/events/0/data/n").asInt()).isEqualTo(1);

    JsonNode rest =
        json(call(dc, "phisync_read_events", with(filter, "ack", map(first.get("ack")))));
    assertThat(rest.get("events")).hasSize(1);
    assertThat(rest.at("/events/0/data/n").asInt()).isEqualTo(3);
    assertThat(rest.get("more").asBoolean()).isFalse();
    JsonNode cursor = Json.parse(Files.readString(root.resolve("dc/subscriptions/ci.json")));
    assertThat(cursor.at("/next/reads").asLong()).isEqualTo(3);

    // Acknowledging the rest passes the debug event too; nothing is left.
    JsonNode done =
        json(call(dc, "phisync_read_events", with(filter, "ack", map(rest.get("ack")))));
    assertThat(done.get("events")).isEmpty();
    cursor = Json.parse(Files.readString(root.resolve("dc/subscriptions/ci.json")));
    assertThat(cursor.at("/next/reads").asLong()).isEqualTo(5);
  }

  @Test
  void waitEvent_returnsAnEventPublishedWhileItWaits() throws Exception {
    TopicName topic = TopicName.of("waits");
    phi.events().publish(topic, WEBC, "old", Severity.INFO, null);

    CompletableFuture<JsonNode> waiting =
        CompletableFuture.supplyAsync(
            () ->
                json(
                    call(
                        dc,
                        "phisync_wait_event",
                        Map.of("topics", List.of("waits"), "types", List.of("deployed")))));
    // The call has started once the server watches; publish until the waiter has it.
    while (!waiting.isDone()) {
      phi.events().publish(topic, WEBC, "deployed", Severity.INFO, Json.object().put("v", 2));
      try {
        waiting.get(2, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // Not yet: the server may not have been waiting when the last one came.
      }
    }

    JsonNode got = waiting.get();
    assertThat(got.get("events")).isNotEmpty();
    assertThat(got.at("/events/0/eventType").asString()).isEqualTo("deployed");
    assertThat(got.at("/events/0/data/v").asInt()).isEqualTo(2);
  }

  @Test
  void waitEvent_withASubscription_returnsWhatIsThereAtOnce_andNothingAfterTheWait() {
    phi.events().publish(TopicName.of("polls"), WEBC, "ready", Severity.INFO, null);
    Map<String, Object> args =
        Map.of("subscription", "poller", "topics", List.of("polls"), "waitSeconds", 1);

    JsonNode got = json(call(dc, "phisync_wait_event", args));
    assertThat(got.at("/events/0/eventType").asString()).isEqualTo("ready");

    JsonNode none = json(call(dc, "phisync_wait_event", with(args, "ack", map(got.get("ack")))));
    assertThat(none.get("events")).isEmpty();
    assertThat(none.get("next").asString()).contains("phisync_wait_event");
  }

  @Test
  void stateGetPutAndCas_writeRevisionsOnDisk() throws IOException {
    JsonNode absent = json(call(dc, "phisync_state_get", Map.of("key", "deploy/version")));
    assertThat(absent.get("exists").asBoolean()).isFalse();
    assertThat(absent.get("revision").asLong()).isZero();

    JsonNode created =
        json(
            call(
                dc,
                "phisync_state_cas",
                Map.of("key", "deploy/version", "value", Map.of("v", 1), "expectAbsent", true)));
    assertThat(created.get("revision").asLong()).isEqualTo(1);
    assertThat(Json.parse(Files.readString(root.resolve("shared/state/deploy/version.json"))))
        .isEqualTo(Json.object().put("v", 1));

    JsonNode put =
        json(call(dc, "phisync_state_put", Map.of("key", "deploy/version", "value", "two")));
    assertThat(put.get("revision").asLong()).isEqualTo(2);

    JsonNode got = json(call(dc, "phisync_state_get", Map.of("key", "deploy/version")));
    assertThat(got.get("value").asString()).isEqualTo("two");
    assertThat(got.get("revision").asLong()).isEqualTo(2);

    JsonNode cas =
        json(
            call(
                dc,
                "phisync_state_cas",
                Map.of("key", "deploy/version", "value", 3, "expectRevision", 2)));
    assertThat(cas.get("revision").asLong()).isEqualTo(3);
    assertThat(root.resolve("shared/state/deploy/version.revs/rev-000000000003.json")).exists();
    assertThat(Files.readString(root.resolve("shared/state/deploy/version.json")).trim())
        .isEqualTo("3");
  }

  @Test
  void cas_conflict_isAToolErrorWithTheCurrentRevisionAndValue() throws IOException {
    phi.state().put("config/db", Json.object().put("host", "db1"));
    phi.state().put("config/db", Json.object().put("host", "db2"));

    CallToolResult stale =
        call(
            dc,
            "phisync_state_cas",
            Map.of("key", "config/db", "value", Map.of("host", "mine"), "expectRevision", 1));

    assertThat(stale.isError()).isTrue();
    assertThat(text(stale))
        .contains("revision 2")
        .contains("{\"host\":\"db2\"}")
        .contains("phisync_state_get")
        .contains("expectRevision 2");
    assertThat(Files.readString(root.resolve("shared/state/config/db.json"))).contains("db2");

    CallToolResult exists =
        call(dc, "phisync_state_cas", Map.of("key", "config/db", "value", 1, "expectAbsent", true));
    assertThat(exists.isError()).isTrue();
    assertThat(text(exists)).contains("revision 2");
  }

  @Test
  void lockAcquireAndRelease_writeAndRemoveTheLockFile_andFenceState() throws IOException {
    JsonNode lock =
        json(call(dc, "phisync_lock_acquire", Map.of("name", "deploy", "leaseSeconds", 600)));
    long token = lock.get("token").asLong();
    assertThat(token).isPositive();
    assertThat(lock.get("leaseExpiresAt").asString()).isNotBlank();
    Path file = root.resolve("shared/locks/deploy.lock");
    JsonNode written = Json.parse(Files.readString(file));
    assertThat(written.get("token").asLong()).isEqualTo(token);
    assertThat(written.get("leaseMillis").asLong()).isEqualTo(600_000);

    JsonNode status = json(call(dc, "phisync_lock_status", Map.of("name", "deploy")));
    assertThat(status.get("state").asString()).isEqualTo("held");
    assertThat(status.get("mine").asBoolean()).isTrue();

    json(
        call(
            dc,
            "phisync_state_put",
            Map.of("key", "deploy/target", "value", "prod", "fencingToken", token + 1)));
    CallToolResult fenced =
        call(
            dc,
            "phisync_state_put",
            Map.of("key", "deploy/target", "value", "stale", "fencingToken", token));
    assertThat(fenced.isError()).isTrue();
    assertThat(text(fenced)).contains("refused").contains("phisync_lock_acquire");

    JsonNode released = json(call(dc, "phisync_lock_release", Map.of("name", "deploy")));
    assertThat(released.get("token").asLong()).isEqualTo(token);
    assertThat(file).doesNotExist();

    CallToolResult twice =
        call(dc, "phisync_lock_release", Map.of("name", "deploy", "token", token));
    assertThat(twice.isError()).isTrue();
    assertThat(text(twice)).contains("no longer yours");
  }

  @Test
  void lockHeldBySomeoneElse_isAToolErrorNamingTheHolder() throws Exception {
    try (Lease theirs =
        phi.locks().acquire("migrate", Duration.ofMinutes(10), Duration.ofSeconds(5))) {
      CallToolResult held =
          call(dc, "phisync_lock_acquire", Map.of("name", "migrate", "waitSeconds", 1));

      assertThat(held.isError()).isTrue();
      assertThat(text(held))
          .contains("still held")
          .contains(theirs.owner().ownerId())
          .contains("token " + theirs.token());
      JsonNode status = json(call(dc, "phisync_lock_status", Map.of("name", "migrate")));
      assertThat(status.get("mine").asBoolean()).isFalse();
    }
    JsonNode free = json(call(dc, "phisync_lock_status", Map.of("name", "migrate")));
    assertThat(free.get("state").asString()).isEqualTo("free");
  }

  @Test
  void crdtUpdateAndGet_mergeWithOtherAgentsReplicas() throws IOException {
    phi.crdts()
        .update(
            WEBC,
            "stats.builds",
            io.phisync.crdt.CrdtType.PN_COUNTER,
            (c, ctx) -> c.increment(ctx.node(), 5));

    JsonNode inc =
        json(
            call(
                dc,
                "phisync_crdt_update",
                Map.of("key", "stats.builds", "op", "increment", "by", 2)));
    assertThat(inc.get("type").asString()).isEqualTo("pn-counter");
    assertThat(inc.get("value").asLong()).isEqualTo(7);
    assertThat(root.resolve("shared/crdt/stats.builds/replicas/dc.json")).exists();

    json(
        call(
            dc,
            "phisync_crdt_update",
            Map.of("key", "team", "op", "add", "values", List.of("a", "b"))));
    JsonNode set =
        json(
            call(
                dc,
                "phisync_crdt_update",
                Map.of("key", "team", "op", "remove", "values", List.of("a"))));
    assertThat(set.get("value")).hasSize(1);
    assertThat(set.at("/value/0").asString()).isEqualTo("b");

    json(call(dc, "phisync_crdt_update", Map.of("key", "owner", "op", "set", "value", "dc")));
    JsonNode got = json(call(dc, "phisync_crdt_get", Map.of("key", "owner")));
    assertThat(got.get("type").asString()).isEqualTo("lww-register");
    assertThat(got.get("value").asString()).isEqualTo("dc");
    assertThat(
            json(call(dc, "phisync_crdt_get", Map.of("key", "nobody"))).get("exists").asBoolean())
        .isFalse();

    CallToolResult mismatch =
        call(dc, "phisync_crdt_update", Map.of("key", "team", "op", "increment"));
    assertThat(mismatch.isError()).isTrue();
    assertThat(text(mismatch)).contains("phisync_crdt_get");
  }

  @Test
  void badNames_areToolErrorsNamingTheRule() {
    CallToolResult topic =
        call(dc, "phisync_publish", Map.of("topic", "Bad Topic", "eventType", "x"));
    assertThat(topic.isError()).isTrue();
    assertThat(text(topic)).contains("'topic'").contains("a letter first");

    CallToolResult key = call(dc, "phisync_state_get", Map.of("key", "../etc/passwd"));
    assertThat(key.isError()).isTrue();
    assertThat(text(key)).contains("'key'");

    CallToolResult lock = call(dc, "phisync_lock_acquire", Map.of("name", "A/B"));
    assertThat(lock.isError()).isTrue();
    assertThat(text(lock)).contains("'name'");

    CallToolResult subscription =
        call(dc, "phisync_read_events", Map.of("subscription", "No Such!"));
    assertThat(subscription.isError()).isTrue();
    assertThat(text(subscription)).contains("'subscription'");

    CallToolResult severity =
        call(dc, "phisync_publish", Map.of("topic", "t", "eventType", "x", "severity", "huge"));
    assertThat(severity.isError()).isTrue();

    CallToolResult both =
        call(
            dc,
            "phisync_state_cas",
            Map.of("key", "k", "value", 1, "expectAbsent", true, "expectRevision", 0));
    assertThat(both.isError()).isTrue();
    assertThat(text(both)).contains("exactly one");

    CallToolResult tooLong = call(dc, "phisync_wait_event", Map.of("waitSeconds", 46));
    assertThat(tooLong.isError()).isTrue();

    CallToolResult crdtKey = call(dc, "phisync_crdt_get", Map.of("key", "a/b"));
    assertThat(crdtKey.isError()).isTrue();
    assertThat(text(crdtKey)).contains("'key'");

    assertThat(root.resolve("shared/state/etc")).doesNotExist();
  }

  private static Map<?, ?> map(JsonNode node) {
    return Json.mapper().convertValue(node, Map.class);
  }

  private static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
    Map<String, Object> out = new java.util.HashMap<>(base);
    out.put(name, value);
    return out;
  }
}
