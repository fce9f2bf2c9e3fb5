package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.phisync.agent.Program;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The example agent programs in examples/agents, each run on sample envelopes as agent run would.
 */
@DisabledOnOs(OS.WINDOWS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExampleAgentsTest {
  static final Path AGENTS = Examples.directory().resolve("agents");

  @BeforeAll
  static void python() {
    assumeTrue(Examples.hasPython(), "python3 is not on the PATH: the example agents need it");
  }

  private static JsonNode run(String agent, ObjectNode payload) throws Exception {
    Envelope request =
        Envelope.builder()
            .type(MessageType.REQUEST)
            .from(AgentName.of("dc"))
            .to(AgentName.of(agent))
            .payload(payload)
            .build();
    Process process =
        new ProcessBuilder(AGENTS.resolve(agent + ".py").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (var in = process.getOutputStream()) {
      in.write(EnvelopeCodec.encode(request));
    }
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(agent + " finished").isTrue();
    assertThat(process.exitValue()).as(agent + " exit code").isZero();
    return Json.parse(new String(out, StandardCharsets.UTF_8));
  }

  private static ObjectNode command(String name) {
    return Json.object().put("command", name);
  }

  @Test
  void webc_research_findsPracticesOnTheTopic_deterministically() throws Exception {
    JsonNode first = run("webc", command("research").put("topic", "OAuth2 best practices"));

    assertThat(first.path("topic").asString()).isEqualTo("OAuth2 best practices");
    assertThat(first.path("findings").size()).isBetween(3, 5);
    assertThat(first.path("sources").asInt()).isPositive();
    assertThat(run("webc", command("research").put("topic", "OAuth2 best practices")))
        .isEqualTo(first);
  }

  @Test
  void vssc_implement_buildsAnArtifact_andRevertNamesIt() throws Exception {
    ObjectNode implement = command("implement").put("feature", "OAuth2 module");
    implement.putArray("requirements").add("PKCE").add("short-lived tokens");

    JsonNode built = run("vssc", implement);
    String artifact = built.path("artifactPath").asString();
    assertThat(artifact).startsWith("build/oauth2-module-").endsWith(".jar");
    assertThat(built.path("filesChanged").asInt()).isEqualTo(6);

    JsonNode reverted = run("vssc", command("revert").put("artifact", artifact));
    assertThat(reverted.path("reverted").asString()).isEqualTo(artifact);
  }

  @Test
  void kalic_audit_reportsTheRequestedFindings_scanFindsAHighOne_verifyResolves() throws Exception {
    assertThat(
            run("kalic", command("audit").put("artifact", "a.jar"))
                .path("vulnerabilitiesFound")
                .asInt())
        .isEqualTo(2);
    assertThat(
            run("kalic", command("audit").put("artifact", "a.jar").put("findings", 0))
                .path("vulnerabilitiesFound")
                .asInt())
        .isZero();
    JsonNode scan = run("kalic", command("scan").put("target", "src/"));
    assertThat(scan.path("vulnerability").path("severity").asString()).isEqualTo("high");
    ObjectNode verify = command("verify");
    verify.set("vulnerability", scan.path("vulnerability"));
    assertThat(run("kalic", verify).path("resolved").asBoolean()).isTrue();
  }

  @Test
  void cmdc_generatesTenThousandLines_andTheChunkCountsAddUp() throws Exception {
    JsonNode logs = run("cmdc", command("generate_logs").put("count", 10_000));
    assertThat(logs.path("count").asInt()).isEqualTo(10_000);
    assertThat(logs.path("lines").size()).isEqualTo(10_000);

    long lines = 0;
    long errors = 0;
    for (int chunk = 0; chunk < 8; chunk++) {
      tools.jackson.databind.node.ArrayNode batch = Json.mapper().createArrayNode();
      for (int i = chunk * 1250; i < (chunk + 1) * 1250; i++) {
        batch.add(logs.path("lines").get(i));
      }
      ObjectNode analyze = command("analyze_chunk");
      analyze.set("lines", batch);
      JsonNode counts = run("cmdc", analyze);
      assertThat(counts.path("lines").asInt()).isEqualTo(batch.size());
      assertThat(
              counts.path("errors").asInt()
                  + counts.path("warnings").asInt()
                  + counts.path("info").asInt())
          .isEqualTo(batch.size());
      lines += counts.path("lines").asLong();
      errors += counts.path("errors").asLong();
    }
    assertThat(lines).isEqualTo(10_000);
    assertThat(errors).isPositive();

    ObjectNode summarize = command("summarize");
    summarize.putObject("totals").put("lines", lines).put("errors", errors).put("warnings", 0);
    assertThat(run("cmdc", summarize).path("lines").asLong()).isEqualTo(10_000);
  }

  @Test
  void cmdc_deploy_succeeds_orFailsWithAnErrorTypeWhenAskedTo() throws Exception {
    JsonNode ok = run("cmdc", command("deploy").put("artifact", "a.jar"));
    assertThat(ok.path("healthy").asBoolean()).isTrue();
    assertThat(ok.path("environment").asString()).isEqualTo("production");

    JsonNode failed =
        run("cmdc", command("deploy").put("artifact", "a.jar").put("simulateFailure", true));
    assertThat(failed.path("errorType").asString()).isEqualTo("DeployFailed");
    assertThat(failed.path("error").asString()).contains("a.jar");
  }

  @Test
  void anUnknownCommand_isAnErrorPayloadListingTheKnownOnes() throws Exception {
    JsonNode answer = run("cmdc", command("rm -rf /"));
    assertThat(answer.path("errorType").asString()).isEqualTo("UnknownCommand");
    assertThat(answer.path("error").asString()).contains("deploy").contains("analyze_chunk");
  }

  @Test
  void everyHandlersFile_parses_andNamesAnExecutableProgramBesideIt() throws IOException {
    for (String agent : List.of("webc", "vssc", "kalic", "cmdc")) {
      Map<String, Program> handlers =
          HandlersFile.read(AGENTS.resolve(agent + ".yaml"), Duration.ofSeconds(60));
      assertThat(handlers).as(agent).isNotEmpty();
      for (Program program : handlers.values()) {
        Path file = Path.of(program.command().get(0));
        assertThat(file).as(agent).isEqualTo(AGENTS.resolve(agent + ".py").toAbsolutePath());
        assertThat(Files.isExecutable(file)).as(file + " is executable").isTrue();
      }
    }
  }
}
