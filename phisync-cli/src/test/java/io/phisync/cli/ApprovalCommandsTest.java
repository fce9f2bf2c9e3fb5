package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.approval.ApprovalOutcome;
import io.phisync.approval.ApprovalRequest;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApprovalCommandsTest {
  @TempDir Path root;
  @TempDir Path home;
  @TempDir Path other;

  private PhiSync phi;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @BeforeEach
  void init() {
    assertThat(phisync("init").exitCode()).isZero();
    phi = PhiSync.builder(root).approverHome(home).open();
  }

  @AfterEach
  void close() {
    phi.close();
  }

  private Cli.Result phisync(String... args) {
    return Cli.run(
        Stream.concat(Stream.of("--root", root.toString()), Stream.of(args))
            .toArray(String[]::new));
  }

  private ApprovalRequest request(String step, Instant expiresAt, List<AgentName> approvers) {
    ApprovalRequest request =
        new ApprovalRequest(
            "run-01jdemo",
            step,
            "release",
            "nonce-" + step,
            "Deploy with 2 findings?",
            Json.parse("{\"vulnerabilitiesFound\": 2}"),
            AgentName.of("dc"),
            now,
            expiresAt,
            approvers);
    phi.approvals().request(request);
    return request;
  }

  private ApprovalRequest request(String step) {
    return request(step, now.plus(1, ChronoUnit.HOURS), List.of(AgentName.of("stryk")));
  }

  private void initStryk() {
    Cli.Result init = phisync("approver", "init", "--name", "stryk", "--home", home.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "approve",
        "reject",
        "approvals",
        "approver",
        "approver init",
        "approver trust",
        "approver list",
        "approver show"
      })
  void everyCommand_hasHelp(String command) {
    Cli.Result result = Cli.run((command + " --help").split(" "));

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Usage: phisync").contains("--help");
  }

  @Test
  void approverInit_saysWhereTheKeyIs_andThatItIsTrustedHere() {
    Cli.Result init = phisync("approver", "init", "--name", "stryk", "--home", home.toString());

    assertThat(init.exitCode()).isZero();
    assertThat(init.out())
        .contains(home.resolve("approvers/stryk/private-key.pem").toString())
        .containsPattern("key id: +[0-9a-f]{16}")
        .contains("trusted on this machine");
    Cli.Result again = phisync("approver", "init", "--name", "stryk", "--home", home.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(again.err()).contains("--force");
    assertThat(
            phisync("approver", "init", "--name", "stryk", "--force", "--home", home.toString())
                .exitCode())
        .isZero();
  }

  @Test
  void approverShowAndTrust_moveAKeyToAnotherMachine_andListShowsIt() throws Exception {
    initStryk();
    Cli.Result show = phisync("approver", "show", "--home", home.toString());
    assertThat(show.out()).startsWith("-----BEGIN PUBLIC KEY-----");
    Path pem = other.resolve("stryk.pem");
    Files.writeString(pem, show.out());
    Path otherHome = other.resolve("home");

    Cli.Result trust =
        phisync("approver", "trust", "stryk", pem.toString(), "--home", otherHome.toString());

    assertThat(trust.exitCode()).as(trust.err()).isZero();
    JsonNode list =
        Json.parse(phisync("approver", "list", "--json", "--home", otherHome.toString()).out());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("name").asString()).isEqualTo("stryk");
    assertThat(list.get(0).get("keyHere").asBoolean()).isFalse();
    assertThat(phisync("approver", "list", "--home", home.toString()).out())
        .contains("stryk")
        .contains("yes");
    Files.writeString(pem, "not a key");
    assertThat(
            phisync("approver", "trust", "eve", pem.toString(), "--home", otherHome.toString())
                .exitCode())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void approve_showsTheRequest_signs_andTheWorkflowSeesItDecided() {
    initStryk();
    ApprovalRequest request = request("approve");
    Cli.Result pending = phisync("approvals", "--home", home.toString());
    assertThat(pending.out()).contains("run-01jdemo").contains("approve").contains("Deploy with");

    Cli.Result approve =
        phisync(
            "approve", "run-01jdemo", "approve", "--comment", "ship it", "--home", home.toString());

    assertThat(approve.exitCode()).as(approve.err()).isZero();
    assertThat(approve.out())
        .contains("workflow:  release")
        .contains("Deploy with 2 findings?")
        .contains("\"vulnerabilitiesFound\"")
        .contains("asked by:  dc")
        .contains("until:     " + request.expiresAt())
        .contains("approved run-01jdemo approve as stryk");
    ApprovalOutcome.Decided decided =
        (ApprovalOutcome.Decided) phi.approvals().check(request).orElseThrow();
    assertThat(decided.approved()).isTrue();
    assertThat(decided.comment()).isEqualTo("ship it");

    Cli.Result again = phisync("reject", "run-01jdemo", "approve", "--home", home.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(again.err()).contains("decided already: approved by stryk");
  }

  @Test
  void reject_isSignedToo() {
    initStryk();
    ApprovalRequest request = request("gate");

    assertThat(phisync("reject", "run-01jdemo", "gate", "--home", home.toString()).exitCode())
        .isZero();

    assertThat(((ApprovalOutcome.Decided) phi.approvals().check(request).orElseThrow()).approved())
        .isFalse();
  }

  @Test
  void approvalsJson_listsThePendingRequests_andNotTheClosedOnes() {
    ApprovalRequest open = request("first");
    ApprovalRequest closed = request("second");
    phi.approvals().close(closed, "canceled");

    JsonNode json = Json.parse(phisync("approvals", "--json", "--home", home.toString()).out());

    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("step").asString()).isEqualTo(open.step());
    assertThat(json.get(0).get("context").get("vulnerabilitiesFound").asInt()).isEqualTo(2);
    Cli.Result late = phisync("approve", "run-01jdemo", "second", "--home", home.toString());
    assertThat(late.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(late.err()).contains("closed already (canceled");
  }

  @Test
  void approve_withoutSuchARequest_listsThePendingOnes() {
    request("gate");

    Cli.Result result = phisync("approve", "run-01jdemo", "nope", "--home", home.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOTHING_RECEIVED);
    assertThat(result.err()).contains("no approval request").contains("run-01jdemo gate");
  }

  @Test
  void approve_anExpiredRequest_isRefused() {
    initStryk();
    request("late", now.minusSeconds(1), List.of());

    Cli.Result result = phisync("approve", "run-01jdemo", "late", "--home", home.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(result.err()).contains("expired");
  }

  @Test
  void approve_withoutAKey_saysToRunApproverInit() {
    request("gate");

    Cli.Result result = phisync("approve", "run-01jdemo", "gate", "--home", home.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("phisync approver init");
  }

  @Test
  void approve_byAnApproverNotAllowed_isRefused() {
    request("gate");
    phisync("approver", "init", "--name", "bob", "--home", home.toString());

    Cli.Result result = phisync("approve", "run-01jdemo", "gate", "--home", home.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("may not decide").contains("stryk");
  }

  @Test
  void approve_movesAForgedDecisionAside_andWritesTheRealOne() throws Exception {
    initStryk();
    ApprovalRequest request = request("gate");
    Path decision = root.resolve("shared/approvals/run-01jdemo/gate.decision.json");
    Files.writeString(
        decision,
        "{\"kind\":\"phisync.approval-decision/1\",\"runId\":\"run-01jdemo\",\"step\":\"gate\","
            + "\"nonce\":\"nonce-gate\",\"decision\":\"approved\",\"approver\":\"stryk\","
            + "\"keyId\":\"0000000000000000\",\"comment\":\"\",\"decidedAt\":\""
            + now
            + "\",\"signature\":\"AAAA\"}");

    Cli.Result result = phisync("reject", "run-01jdemo", "gate", "--home", home.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("refused a decision file that did not verify");
    assertThat(((ApprovalOutcome.Decided) phi.approvals().check(request).orElseThrow()).approved())
        .isFalse();
  }

  @Test
  void aHomeInsideTheRoot_isRefused() {
    Cli.Result result =
        phisync("approver", "init", "--name", "x", "--home", root.resolve("keys").toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("inside the shared root");
  }
}
