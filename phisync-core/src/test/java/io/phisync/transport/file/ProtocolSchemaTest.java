package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.phisync.crdt.CrdtType;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every file kind PhiSync writes matches its published JSON Schema in docs/schemas. */
@Timeout(30)
class ProtocolSchemaTest {
  private static final String BASE = "https://phisync.io/schemas/v1/";
  private static SchemaRegistry registry;

  @TempDir Path root;
  private FileTransport transport;
  private final AgentName dc = AgentName.of("dc");
  private final AgentName webc = AgentName.of("webc");

  @BeforeAll
  static void loadSchemas() throws IOException {
    Map<String, String> schemas = new HashMap<>();
    try (Stream<Path> files = Files.list(Path.of("..", "docs", "schemas"))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        schemas.put(BASE + file.getFileName(), Files.readString(file));
      }
    }
    assertThat(schemas).hasSizeGreaterThanOrEqualTo(5);
    registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(schemas));
  }

  @BeforeEach
  void openRoot() {
    transport = FileTransport.open(FileTransportConfig.builder(root).build());
    transport.initialize(List.of(dc, webc));
  }

  @AfterEach
  void closeRoot() {
    transport.close();
  }

  private static List<Error> validate(String schema, Path file) throws IOException {
    Schema s = registry.getSchema(SchemaLocation.of(BASE + schema));
    return s.validate(Files.readString(file, StandardCharsets.UTF_8), InputFormat.JSON);
  }

  private Envelope request() {
    return Envelope.builder()
        .type(MessageType.REQUEST)
        .from(dc)
        .to(webc)
        .expiresAt(OffsetDateTime.now().plusMinutes(5))
        .payload(Json.object().put("command", "research").put("topic", "OAuth2"))
        .build();
  }

  @Test
  @SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
  void workflowJournalEntriesAndRunView_matchTheirSchemas() throws Exception {
    io.phisync.protocol.AgentName cmdc = io.phisync.protocol.AgentName.of("cmdc");
    try (io.phisync.PhiSync phi = io.phisync.PhiSync.open(root)) {
      phi.init(List.of(dc, cmdc));
      io.phisync.agent.Agent agent =
          phi.agent(cmdc)
              .handle("ok", d -> Json.object().put("n", 1))
              .handle("boom", d -> Json.object().put("error", "exploded").put("errorType", "Boom"))
              .build();
      agent.start();
      try {
        var ok = new io.phisync.workflow.StepBody.Task(cmdc, "ok", Json.object().put("x", 1));
        var boom = new io.phisync.workflow.StepBody.Task(cmdc, "boom", null);
        io.phisync.workflow.Retry twice =
            new io.phisync.workflow.Retry(
                java.time.Duration.ofMillis(1),
                1.0,
                java.time.Duration.ofMillis(1),
                2,
                List.of(),
                0.0);
        List<io.phisync.workflow.Step> steps =
            List.of(
                step("a", List.of(), null, null, ok, ok),
                step(
                    "chunks",
                    List.of(),
                    null,
                    null,
                    null,
                    new io.phisync.workflow.StepBody.Scatter(
                        "input.items", 2, 0, 0, ok, io.phisync.workflow.Merge.SUM)),
                step(
                    "route",
                    List.of(),
                    null,
                    null,
                    null,
                    new io.phisync.workflow.StepBody.Condition(
                        "input.items.size() > 1",
                        List.of(step("yes", List.of(), null, null, null, ok)),
                        List.of(step("no", List.of(), null, null, null, ok)))),
                step(
                    "pause",
                    List.of(),
                    null,
                    null,
                    null,
                    new io.phisync.workflow.StepBody.Wait(java.time.Duration.ZERO, null)),
                step("skipped", List.of(), "input.items.size() > 10", null, null, ok),
                step("b", List.of("a", "chunks", "route", "pause"), null, twice, null, boom),
                step("c", List.of("b"), null, null, null, ok));
        var definition =
            new io.phisync.workflow.WorkflowDefinition(
                "schema-check",
                "",
                steps,
                null,
                null,
                io.phisync.workflow.WorkflowDefinition.StepDefaults.NONE);
        var items = Json.mapper().createArrayNode().add(1).add(2).add(3);
        var view =
            phi.workflows()
                .start(
                    definition,
                    Json.object().set("items", items),
                    io.phisync.workflow.RunOptions.as(dc))
                .await(java.time.Duration.ofSeconds(60))
                .orElseThrow();
        assertThat(view.status()).isEqualTo(io.phisync.workflow.RunStatus.FAILED);

        Path journal = root.resolve("shared/workflows/" + view.runId() + ".journal");
        java.util.Set<String> types = new java.util.TreeSet<>();
        int combined = 0;
        try (Stream<Path> entries = Files.list(journal)) {
          for (Path entry : entries.sorted().toList()) {
            assertThat(validate("workflow-journal-entry.schema.json", entry))
                .as("%s", entry.getFileName())
                .isEmpty();
            var json = Json.parse(Files.readString(entry));
            types.add(json.path("type").asString());
            // Events committed together (a completion and the steps it unblocks) are in "also".
            json.path("also").forEach(e -> types.add(e.path("type").asString()));
            combined += json.has("also") ? 1 : 0;
          }
        }
        assertThat(combined).as("entries holding several events").isPositive();
        assertThat(types)
            .contains(
                "RunCreated",
                "OrchestratorAttached",
                "StepStarted",
                "StepScheduled",
                "ScatterPlanned",
                "ConditionChosen",
                "TimerStarted",
                "StepCompleted",
                "StepFailed",
                "StepSkipped",
                "StepUpstreamFailed",
                "CompensationScheduled",
                "CompensationCompleted",
                "RunFailed");
        assertThat(
                validate(
                    "workflow-run.schema.json",
                    root.resolve("shared/workflows/" + view.runId() + ".json")))
            .isEmpty();
      } finally {
        agent.drain(java.time.Duration.ofSeconds(5));
      }
    }
  }

  @SuppressWarnings("NullAway") // Step's compensate is a type-use @Nullable NullAway misreads
  private static io.phisync.workflow.Step step(
      String id,
      List<String> dependsOn,
      @org.jspecify.annotations.Nullable String when,
      io.phisync.workflow.@org.jspecify.annotations.Nullable Retry retry,
      io.phisync.workflow.StepBody.@org.jspecify.annotations.Nullable Task compensate,
      io.phisync.workflow.StepBody body) {
    return new io.phisync.workflow.Step(
        id,
        dependsOn,
        io.phisync.workflow.TriggerRule.ALL_SUCCESS,
        when,
        retry,
        null,
        compensate,
        body);
  }

  @Test
  void layoutFileAndAgentState_matchTheirSchemas() throws IOException {
    assertThat(validate("layout.schema.json", root.resolve("phisync.json"))).isEmpty();
    assertThat(validate("agent-state.schema.json", root.resolve("webc/state.json"))).isEmpty();
  }

  @Test
  void runningAgentsStateAndInstanceRecord_matchTheAgentStateSchema() throws Exception {
    try (io.phisync.PhiSync phi = io.phisync.PhiSync.open(root)) {
      io.phisync.agent.Agent agent =
          phi.agent(webc)
              .handle("x", d -> Json.object())
              .heartbeatInterval(Duration.ofMillis(100))
              .build();
      agent.start();
      Path instance = root.resolve("webc/instances/" + agent.instanceId() + ".json");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.exists(instance));
      assertThat(validate("agent-state.schema.json", instance)).isEmpty();
      assertThat(validate("agent-state.schema.json", root.resolve("webc/state.json"))).isEmpty();
      agent.drain(Duration.ofSeconds(10));
      assertThat(validate("agent-state.schema.json", root.resolve("webc/state.json"))).isEmpty();
      assertThat(Files.readString(root.resolve("webc/state.json"))).contains("\"stopped\"");
    }
  }

  @Test
  void requestAndResponse_matchTheEnvelopeSchema() throws IOException {
    Envelope request = request();
    transport.enqueue(webc, request);
    Path inboxFile = root.resolve("webc/inbox/req-" + request.id() + ".json");
    assertThat(validate("envelope.schema.json", inboxFile)).isEmpty();

    transport.respond(
        webc,
        Envelope.builder()
            .type(MessageType.RESPONSE)
            .from(webc)
            .to(dc)
            .correlationId(request.id())
            .payload(Json.object().put("sources", 3))
            .build());
    Path response = root.resolve("webc/outbox/resp-" + request.id() + ".json");
    assertThat(validate("envelope.schema.json", response)).isEmpty();
  }

  @Test
  void deliveryLogAndDeadLetter_matchTheirSchemas() throws IOException {
    Envelope request = request();
    transport.enqueue(webc, request);
    Claim first = transport.claim(webc, "test", Duration.ofMinutes(1)).orElseThrow();
    transport.nack(first, "handler failed", 3);
    Path log = root.resolve("webc/deliveries/" + request.id() + ".json");
    assertThat(validate("delivery-log.schema.json", log)).isEmpty();

    Claim second = transport.claim(webc, "test", Duration.ofMinutes(1)).orElseThrow();
    String entry = transport.deadLetter(second, "poison").entryId();
    assertThat(validate("dead-letter.schema.json", root.resolve("dlq/" + entry + ".json")))
        .isEmpty();
  }

  @Test
  void eventFileAndSubscriptionCursor_matchTheirSchemas() throws IOException {
    transport.events().append(io.phisync.protocol.TopicName.of("alerts"), codexEvent());
    assertThat(
            validate("event.schema.json", root.resolve("shared/events/alerts/000000000001.json")))
        .isEmpty();
    transport
        .events()
        .saveCursor(
            io.phisync.spi.SubscriptionCursor.start(
                    dc, AgentName.of("default"), OffsetDateTime.now())
                .with(io.phisync.protocol.TopicName.of("alerts"), 2, OffsetDateTime.now()));
    assertThat(
            validate(
                "subscription-cursor.schema.json", root.resolve("dc/subscriptions/default.json")))
        .isEmpty();
  }

  private static tools.jackson.databind.node.ObjectNode codexEvent() {
    tools.jackson.databind.node.ObjectNode event =
        Json.object()
            .put("id", "01JDB5Q5V3Z8W4X2Y6K9M7N1PA")
            .put("timestamp", "2025-11-15T10:30:00.1234567-05:00")
            .put("eventType", "vulnerability_found")
            .put("publisher", "kalic")
            .put("severity", "high");
    event.putObject("data").put("type", "SQL_INJECTION").put("line", 42);
    return event;
  }

  @Test
  void crdtReplicasAndTypeFiles_ofEveryType_matchTheirSchemas() throws IOException {
    io.phisync.crdt.store.CrdtStore crdts =
        io.phisync.crdt.store.CrdtStore.over(
            transport.replicas(), java.time.Clock.systemUTC(), Duration.ofMinutes(1));
    crdts.update(dc, "g", CrdtType.G_COUNTER, (c, x) -> c.increment(x.node(), 2));
    crdts.update(dc, "pn", CrdtType.PN_COUNTER, (c, x) -> c.increment(x.node(), -2));
    crdts.update(dc, "lww", CrdtType.LWW_REGISTER, (r, x) -> r.assign("v", x.stamp()));
    crdts.update(dc, "mv", CrdtType.MV_REGISTER, (r, x) -> r.assign(x.node(), "v"));
    crdts.update(dc, "set", CrdtType.OR_SET, (s, x) -> s.add(x.node(), "a").add(x.node(), "b"));
    crdts.update(dc, "flag", CrdtType.FLAG, (f, x) -> f.enable(x.node()));
    crdts.update(dc, "map", CrdtType.LWW_MAP, (m, x) -> m.put("k", "v", x.stamp()));
    crdts.update(
        dc,
        "map.removed",
        CrdtType.LWW_MAP,
        (m, x) -> m.put("k", "v", x.stamp()).remove("k", x.stamp()));
    crdts.update(
        dc,
        "ormap",
        CrdtType.orMap(CrdtType.PN_COUNTER),
        (m, x) -> m.update(x.node(), "k", c -> c.increment(x.node(), 1)).remove("k"));

    assertThat(crdts.keys()).hasSize(9);
    for (String key : crdts.keys()) {
      Path dir = root.resolve("shared/crdt/" + key);
      assertThat(validate("crdt-type.schema.json", dir.resolve("type.json"))).as(key).isEmpty();
      assertThat(validate("crdt-replica.schema.json", dir.resolve("replicas/dc.json")))
          .as(key)
          .isEmpty();
    }
    Schema replica = registry.getSchema(SchemaLocation.of(BASE + "crdt-replica.schema.json"));
    String bad =
        "{\"key\":\"../x\",\"type\":\"g-counter\",\"agent\":\"dc\","
            + "\"state\":{\"type\":\"g-counter\",\"counts\":{\"dc\":-1}}}";
    assertThat(replica.validate(bad, InputFormat.JSON)).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void envelopeSchema_rejectsTraversalIdsAndUppercaseAgents() {
    Schema envelope = registry.getSchema(SchemaLocation.of(BASE + "envelope.schema.json"));
    assertThat(envelope.validate("{\"id\":\"../etc/passwd\"}", InputFormat.JSON)).isNotEmpty();
    assertThat(envelope.validate("{\"id\":\"a1\",\"to\":\"WEBC\"}", InputFormat.JSON)).isNotEmpty();
    assertThat(
            envelope.validate(
                "{\"id\":\"a1\",\"timestamp\":\"2025-11-15T10:30:00.1234567-05:00\"}",
                InputFormat.JSON))
        .isEmpty();
  }

  @Test
  void stateRevisionsLockFilesStreamCommitsAndSnapshots_matchTheirSchemas() throws Exception {
    io.phisync.state.StateStore state =
        io.phisync.state.StateStore.over(
            transport, new io.phisync.state.StateOptions(2), java.time.Clock.systemUTC());
    state.put("config/db", Json.object().put("host", "db1"), 3);
    state.put("config/db", Json.object().put("host", "db2"));
    state.delete("config/db", io.phisync.state.Expect.any(), null);
    Path revs = root.resolve("shared/state/config/db.revs");
    for (int n = 1; n <= 3; n++) {
      assertThat(
              validate(
                  "state-revision.schema.json", revs.resolve(String.format("rev-%012d.json", n))))
          .as("revision %d", n)
          .isEmpty();
    }
    io.phisync.lock.Locks locks =
        io.phisync.lock.Locks.over(transport, io.phisync.lock.LockOptions.defaults());
    io.phisync.lock.Lease lease = locks.tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow();
    assertThat(validate("lock-file.schema.json", root.resolve("shared/locks/deploy.lock")))
        .isEmpty();
    lease.renew();
    lease.release();
    for (int n = 1; n <= 3; n++) {
      assertThat(
              validate(
                  "lock-grant.schema.json",
                  root.resolve(String.format("shared/locks/deploy.grants/grant-%012d.json", n))))
          .isEmpty();
    }
    io.phisync.stream.Streams streams =
        io.phisync.stream.Streams.over(
            transport, io.phisync.stream.StreamOptions.defaults(), java.time.Clock.systemUTC());
    streams.append(
        "orders",
        List.of(new io.phisync.stream.NewEvent("placed", Json.object().put("id", 1))),
        io.phisync.stream.Streams.NO_STREAM);
    streams.snapshot("orders", 1, Json.object().put("count", 1));
    assertThat(
            validate(
                "stream-commit.schema.json",
                root.resolve("shared/streams/orders.events/commit-000000000001.json")))
        .isEmpty();
    assertThat(
            validate(
                "snapshot.schema.json",
                root.resolve("shared/state/snapshots/orders/snapshot-000000000001.json")))
        .isEmpty();
    Schema key = registry.getSchema(SchemaLocation.of(BASE + "state-revision.schema.json"));
    assertThat(
            key.validate(
                "{\"key\":\"../x\",\"revision\":1,\"committed\":\"x\",\"deleted\":true}",
                InputFormat.JSON))
        .isNotEmpty();
  }

  @Test
  void approvalRequestDecisionAndResolution_matchTheirSchemas(@TempDir Path home)
      throws IOException {
    io.phisync.approval.ApproverKeys keys = io.phisync.approval.ApproverKeys.at(home);
    AgentName stryk = AgentName.of("stryk");
    keys.init(stryk, false);
    io.phisync.approval.Approvals approvals =
        io.phisync.approval.Approvals.over(
            transport.approvals(), keys, java.time.Clock.systemUTC());
    java.time.Instant now = java.time.Instant.now();
    io.phisync.approval.ApprovalRequest request =
        new io.phisync.approval.ApprovalRequest(
            "run-01jschema",
            "approve",
            "release",
            "nonce-1",
            "Deploy?",
            Json.object().put("findings", 2),
            dc,
            now,
            now.plusSeconds(3600),
            List.of(stryk));
    approvals.request(request);
    approvals.submit(keys.sign(stryk, request, true, "fine ✓", now));
    approvals.close(request, "approved");
    Path dir = root.resolve("shared/approvals/run-01jschema");

    assertThat(validate("approval-request.schema.json", dir.resolve("approve.request.json")))
        .isEmpty();
    assertThat(validate("approval-decision.schema.json", dir.resolve("approve.decision.json")))
        .isEmpty();
    assertThat(validate("approval-closed.schema.json", dir.resolve("approve.closed.json")))
        .isEmpty();
  }
}
