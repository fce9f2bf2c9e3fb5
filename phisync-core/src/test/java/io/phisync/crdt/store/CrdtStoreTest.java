package io.phisync.crdt.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.PhiSync;
import io.phisync.clock.ClockOffsetException;
import io.phisync.clock.HlcTimestamp;
import io.phisync.crdt.CrdtType;
import io.phisync.crdt.LWWRegister;
import io.phisync.crdt.ORSet;
import io.phisync.crdt.PNCounter;
import io.phisync.crdt.json.CrdtJson;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.Durability;
import io.phisync.spi.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CrdtStoreTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");

  @TempDir Path root;
  private final MutableClock time = MutableClock.startingNow();
  private PhiSync phi;
  private CrdtStore crdts;

  @BeforeEach
  void open() {
    phi =
        PhiSync.builder(root)
            .durability(Durability.FAST)
            .clock(time)
            .maxClockOffset(Duration.ofSeconds(10))
            .open();
    phi.init(List.of(DC, WEBC));
    crdts = phi.crdts();
  }

  @AfterEach
  void close() {
    phi.close();
  }

  @Test
  void eachAgent_writesOnlyItsOwnReplica_andReadersMergeThemAll() throws Exception {
    crdts.update(DC, "visits", CrdtType.PN_COUNTER, (c, ctx) -> c.increment(ctx.node(), 5));
    crdts.update(WEBC, "visits", CrdtType.PN_COUNTER, (c, ctx) -> c.decrement(ctx.node(), 2));

    assertThat(crdts.get("visits", CrdtType.PN_COUNTER).value()).isEqualTo(3);
    assertThat(crdts.get("visits").map(c -> (Object) c.value())).contains(3L);
    assertThat(crdts.replicas("visits")).containsOnlyKeys(DC, WEBC);
    Path dir = root.resolve("shared/crdt/visits");
    assertThat(dir.resolve("replicas/dc.json")).exists();
    assertThat(dir.resolve("replicas/webc.json")).exists();
    assertThat(Json.parse(Files.readString(dir.resolve("type.json"))).get("type").asString())
        .isEqualTo("pn-counter");
    assertThat(crdts.keys()).containsExactly("visits");
    assertThat(crdts.typeOf("visits")).contains(CrdtType.PN_COUNTER);
  }

  @Test
  void absentKey_readsAsTheEmptyState() {
    assertThat(crdts.get("nothing", CrdtType.OR_SET)).isEqualTo(ORSet.empty());
    assertThat(crdts.get("nothing")).isEmpty();
    assertThat(crdts.typeOf("nothing")).isEmpty();
  }

  @Test
  void aKeysType_isFixedByItsFirstWrite() {
    crdts.update(DC, "tags", CrdtType.OR_SET, (s, ctx) -> s.add(ctx.node(), "x"));

    assertThatThrownBy(
            () ->
                crdts.update(
                    WEBC, "tags", CrdtType.PN_COUNTER, (c, ctx) -> c.increment(ctx.node(), 1)))
        .isInstanceOfSatisfying(
            CrdtTypeMismatchException.class,
            e -> {
              assertThat(e.recorded()).isEqualTo("or-set");
              assertThat(e.requested()).isEqualTo("pn-counter");
            })
        .hasMessageContaining("CRDT key 'tags' is a or-set, not a pn-counter");
    assertThatThrownBy(() -> crdts.get("tags", CrdtType.FLAG))
        .isInstanceOf(CrdtTypeMismatchException.class);
    assertThat(root.resolve("shared/crdt/tags/replicas/webc.json")).doesNotExist();
  }

  @Test
  void badKeys_areRefusedNamingTheRule_beforeAnyPathIsBuilt() {
    for (String bad : List.of("../etc", "a/b", "Visits", "", ".hidden", "con", "nul.x", "x.")) {
      assertThatThrownBy(() -> crdts.get(bad, CrdtType.FLAG))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a CRDT key is 1 to 64 characters");
    }
    assertThat(root.resolve("shared/crdt")).doesNotExist();
  }

  @Test
  void anUpdate_mergesWhatOthersWrote_soItsRemoveSeesTheirAdds() {
    crdts.update(WEBC, "tags", CrdtType.OR_SET, (s, ctx) -> s.add(ctx.node(), "x"));
    crdts.update(DC, "tags", CrdtType.OR_SET, (s, ctx) -> s.remove("x"));

    assertThat(crdts.get("tags", CrdtType.OR_SET).value()).isEmpty();
  }

  @Test
  void lwwRegister_aLaterWriterWins_evenWhenItsHostClockIsBehind() {
    crdts.update(WEBC, "owner", CrdtType.LWW_REGISTER, (r, ctx) -> r.assign("webc", ctx.stamp()));
    time.advance(Duration.ofSeconds(-5)); // dc's host runs behind.

    LWWRegister after =
        crdts.update(DC, "owner", CrdtType.LWW_REGISTER, (r, ctx) -> r.assign("dc", ctx.stamp()));

    assertThat(crdts.get("owner", CrdtType.LWW_REGISTER).value()).contains("dc");
    assertThat(after.stamp()).isNotNull();
  }

  @Test
  void aReplicaStampedTooFarAhead_isRefused_andNothingIsWritten() throws Exception {
    HlcTimestamp future = new HlcTimestamp(time.millis() + 60_000, 0, "kalic");
    Path replica = root.resolve("shared/crdt/owner/replicas/kalic.json");
    crdts.update(WEBC, "owner", CrdtType.LWW_REGISTER, (r, ctx) -> r.assign("webc", ctx.stamp()));
    Files.writeString(
        replica,
        Json.pretty(
            Json.object()
                .put("key", "owner")
                .put("type", "lww-register")
                .put("agent", "kalic")
                .set("state", CrdtJson.encode(LWWRegister.empty().assign("kalic", future)))),
        StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                crdts.update(
                    DC, "owner", CrdtType.LWW_REGISTER, (r, ctx) -> r.assign("dc", ctx.stamp())))
        .isInstanceOf(ClockOffsetException.class)
        .hasMessageContaining("kalic")
        .hasMessageContaining("maximum offset of 10000 ms");
    assertThat(root.resolve("shared/crdt/owner/replicas/dc.json")).doesNotExist();
  }

  @Test
  void aDamagedForeignReplica_isLeftOut_notFatal() throws Exception {
    crdts.update(DC, "visits", CrdtType.PN_COUNTER, (c, ctx) -> c.increment(ctx.node(), 2));
    Files.writeString(root.resolve("shared/crdt/visits/replicas/webc.json"), "{\"state\": 42");
    Files.writeString(
        root.resolve("shared/crdt/visits/replicas/kalic.json"),
        "{\"state\": {\"type\": \"pn-counter\", \"increments\": {\"kalic\": -1}}}");

    assertThat(crdts.get("visits", CrdtType.PN_COUNTER).value()).isEqualTo(2);
    PNCounter next =
        crdts.update(DC, "visits", CrdtType.PN_COUNTER, (c, ctx) -> c.increment(ctx.node(), 1));
    assertThat(next.value()).isEqualTo(3);
  }
}
