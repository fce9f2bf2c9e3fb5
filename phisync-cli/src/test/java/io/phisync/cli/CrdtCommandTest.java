package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrdtCommandTest {
  @TempDir Path root;

  @BeforeEach
  void init() {
    assertThat(Cli.run("--root", root.toString(), "init", "--agents", "dc,webc").exitCode())
        .isZero();
  }

  private Cli.Result crdt(String... args) {
    return Cli.run(
        Stream.concat(Stream.of("--root", root.toString(), "crdt"), Stream.of(args))
            .toArray(String[]::new));
  }

  @Test
  void counters_incAndDec_fromTwoAgents_merge() {
    assertThat(crdt("inc", "--agent", "dc", "--key", "visits").out()).isEqualTo("1\n");
    assertThat(crdt("inc", "--agent", "webc", "--key", "visits", "--by", "5").out())
        .isEqualTo("6\n");
    assertThat(crdt("dec", "--agent", "dc", "--key", "visits", "--by", "2").out()).isEqualTo("4\n");

    Cli.Result get = crdt("get", "--key", "visits");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).isEqualTo("4\n");
    assertThat(root.resolve("shared/crdt/visits/replicas/dc.json")).exists();
    assertThat(root.resolve("shared/crdt/visits/replicas/webc.json")).exists();
  }

  @Test
  void gCounter_isChosenWithType_andRefusesDec() {
    assertThat(crdt("inc", "--agent", "dc", "--key", "hits", "--type", "g-counter").exitCode())
        .isZero();

    Cli.Result dec = crdt("dec", "--agent", "dc", "--key", "hits");

    assertThat(dec.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(dec.err()).contains("CRDT key 'hits' is a g-counter, not a pn-counter");
  }

  @Test
  void orSet_addRemove_andGetJson() {
    crdt("add", "--agent", "dc", "--key", "tags", "red", "green");
    crdt("add", "--agent", "webc", "--key", "tags", "blue");
    Cli.Result removed = crdt("remove", "--agent", "webc", "--key", "tags", "green");
    assertThat(removed.out()).isEqualTo("blue\nred\n");

    Cli.Result get = crdt("get", "--key", "tags", "--json");

    assertThat(get.exitCode()).isZero();
    JsonNode json = Json.parse(get.out());
    assertThat(json.get("type").asString()).isEqualTo("or-set");
    assertThat(json.get("value").toString()).isEqualTo("[\"blue\",\"red\"]");
    assertThat(json.get("state").get("elements").propertyNames()).containsExactly("blue", "red");
  }

  @Test
  void registersFlagsAndMaps_areSet() {
    assertThat(crdt("set", "--agent", "dc", "--key", "owner", "dc").exitCode()).isZero();
    assertThat(crdt("set", "--agent", "webc", "--key", "owner", "webc").out()).isEqualTo("webc\n");
    assertThat(crdt("get", "--key", "owner").out()).isEqualTo("webc\n");

    crdt("set", "--agent", "dc", "--key", "colour", "--type", "mv-register", "red");
    assertThat(crdt("get", "--key", "colour", "--json").out()).contains("\"value\": [");

    crdt("set", "--agent", "dc", "--key", "paused", "--type", "flag", "on");
    assertThat(crdt("get", "--key", "paused").out()).isEqualTo("true\n");
    assertThat(crdt("set", "--agent", "webc", "--key", "paused", "off").out()).isEqualTo("false\n");

    crdt("set", "--agent", "dc", "--key", "config", "--field", "mode", "fast");
    crdt("set", "--agent", "webc", "--key", "config", "--field", "level", "3");
    assertThat(crdt("remove", "--agent", "dc", "--key", "config", "mode").out())
        .isEqualTo("level=3\n");
    assertThat(crdt("list").out()).contains("config").contains("lww-map").contains("paused");
  }

  @Test
  void mismatchedType_exits4_andNamesBothTypes() {
    crdt("add", "--agent", "dc", "--key", "tags", "red");

    for (List<String> args :
        List.of(
            List.of("inc", "--agent", "dc", "--key", "tags"),
            List.of("set", "--agent", "dc", "--key", "tags", "x"))) {
      Cli.Result result = crdt(args.toArray(String[]::new));
      assertThat(result.exitCode()).as("%s", args).isEqualTo(ExitCodes.CONFLICT);
      assertThat(result.err()).contains("is a or-set, not a");
    }
  }

  @Test
  void badInput_isAUsageError_namingTheRule() {
    Cli.Result badKey = crdt("inc", "--agent", "dc", "--key", "../escape");
    assertThat(badKey.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badKey.err()).contains("a CRDT key is 1 to 64 characters");

    Cli.Result badAgent = crdt("inc", "--agent", "DC", "--key", "visits");
    assertThat(badAgent.exitCode()).isEqualTo(ExitCodes.USAGE);

    assertThat(crdt("inc", "--agent", "dc", "--key", "v", "--by", "0").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(crdt("set", "--agent", "dc", "--key", "f", "--type", "flag", "maybe").err())
        .contains("'on' or 'off'");
    assertThat(crdt("set", "--agent", "dc", "--key", "f", "--type", "or-set", "x").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(root.resolve("shared/crdt/v")).doesNotExist();
  }

  @Test
  void get_ofAnUnknownKey_exits3() {
    Cli.Result result = crdt("get", "--key", "nothing");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("no CRDT key 'nothing'");
  }
}
