package io.phisync.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApprovalsTest {
  private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
  private static final AgentName STRYK = AgentName.of("stryk");

  @TempDir Path root;
  @TempDir Path home;
  @TempDir Path elsewhere;

  private PhiSync phi;
  private Approvals approvals;
  private ApproverKeys keys;

  @BeforeEach
  void open() {
    phi = PhiSync.builder(root).approverHome(home).open();
    phi.init(PhiSync.DEFAULT_AGENTS);
    approvals = phi.approvals();
    keys = ApproverKeys.at(home);
    keys.init(STRYK, /* replace= */ false);
  }

  @AfterEach
  void close() {
    phi.close();
  }

  private static ApprovalRequest request(String runId, String step, String nonce) {
    return new ApprovalRequest(
        runId,
        step,
        "release",
        nonce,
        "Deploy with 2 findings?",
        Json.object().put("vulnerabilitiesFound", 2),
        AgentName.of("dc"),
        NOW,
        NOW.plus(1, ChronoUnit.HOURS),
        List.of(STRYK));
  }

  private final ApprovalRequest request = request("run-01jabc", "approve", "n0nce-1");

  private Path decisionFile(ApprovalRequest r) {
    return root.resolve("shared/approvals").resolve(r.runId()).resolve(r.step() + ".decision.json");
  }

  private ApprovalDecision genuine(ApprovalRequest r, boolean approved, String comment) {
    return keys.sign(STRYK, r, approved, comment, NOW.plusSeconds(60));
  }

  @Test
  void aSignedDecision_isDecided_andTheRequestCloses() {
    approvals.request(request);
    assertThat(approvals.pending()).containsExactly(request);
    assertThat(approvals.check(request)).isEmpty();

    assertThat(approvals.submit(genuine(request, true, "looks fine"))).isTrue();

    ApprovalOutcome outcome = approvals.check(request).orElseThrow();
    assertThat(outcome)
        .isEqualTo(
            new ApprovalOutcome.Decided(
                true,
                STRYK,
                keys.identity(STRYK).orElseThrow().keyId(),
                "looks fine",
                NOW.plusSeconds(60)));
    assertThat(approvals.check(request)).contains(outcome); // Looking again changes nothing.
    approvals.close(request, "approved");
    assertThat(approvals.pending()).isEmpty();
    assertThat(approvals.find(request.runId(), request.step())).contains(request);
    assertThat(approvals.resolution(request.runId(), request.step())).contains("approved");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "no", "zwei\nZeilen\r\n", "ünïcødé ✓ 𝄞", "{\"json\": true}"})
  void aRejection_withAnyComment_verifies(String comment) {
    approvals.request(request);
    approvals.submit(genuine(request, false, comment));

    assertThat(approvals.check(request))
        .hasValueSatisfying(
            o -> {
              assertThat(o).isInstanceOf(ApprovalOutcome.Decided.class);
              assertThat(((ApprovalOutcome.Decided) o).approved()).isFalse();
              assertThat(((ApprovalOutcome.Decided) o).comment()).isEqualTo(comment);
            });
  }

  @Test
  void theDecisionFile_isPutIfAbsent_andHasTheSignedFields() throws Exception {
    approvals.request(request);
    ApprovalDecision decision = genuine(request, true, "ok");
    assertThat(approvals.submit(decision)).isTrue();
    assertThat(approvals.submit(genuine(request, false, "changed my mind"))).isFalse();

    ObjectNode json = (ObjectNode) Json.parse(Files.readString(decisionFile(request)));
    assertThat(json.propertyNames())
        .containsExactly(
            "kind",
            "runId",
            "step",
            "nonce",
            "decision",
            "approver",
            "keyId",
            "comment",
            "decidedAt",
            "signature");
    assertThat(json.get("decision").asString()).isEqualTo("approved");
    assertThat(approvals.decision(request.runId(), request.step())).contains(decision);
    assertThat(decision.signedText())
        .startsWith(
            "phisync-approval-decision-v1\nrun-01jabc\napprove\nn0nce-1\napproved\nstryk\n");
  }

  @Test
  void aRequest_isWrittenOnce_perNonce() throws Exception {
    approvals.request(request);
    Path file = decisionFile(request).resolveSibling("approve.request.json");
    String first = Files.readString(file);
    approvals.request(request);
    assertThat(Files.readString(file)).isEqualTo(first);

    ApprovalRequest again = request("run-01jabc", "approve", "n0nce-2");
    approvals.request(again);

    assertThat(approvals.find("run-01jabc", "approve")).contains(again);
  }

  @Test
  void aNewRequestForTheSameStep_setsTheEarlierDecisionAndClosingAside_soItCanBeDecided()
      throws Exception {
    approvals.request(request);
    approvals.submit(genuine(request, false, "not now"));
    assertThat(approvals.check(request)).isPresent();
    approvals.close(request, "rejected");

    ApprovalRequest again = request(request.runId(), request.step(), "n0nce-2"); // a retry
    approvals.request(again);

    assertThat(approvals.pending()).containsExactly(again);
    assertThat(approvals.resolution(again.runId(), again.step())).isEmpty();
    assertThat(approvals.check(again)).as("no stale decision to refuse").isEmpty();
    assertThat(approvals.submit(genuine(again, true, "fixed"))).isTrue();
    assertThat(approvals.check(again))
        .hasValueSatisfying(o -> assertThat(((ApprovalOutcome.Decided) o).approved()).isTrue());
    approvals.request(again); // The same nonce again changes nothing.
    assertThat(decisionFile(again)).exists();
    try (var names = Files.list(decisionFile(again).getParent())) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .filteredOn(n -> n.startsWith("approve.superseded-"))
          .hasSize(2)
          .anyMatch(n -> n.endsWith(".decision.json"))
          .anyMatch(n -> n.endsWith(".closed.json"));
    }
  }

  @Test
  void names_areValidatedBeforeTheyBecomePaths() {
    assertThatThrownBy(() -> approvals.request(request("../etc", "approve", "n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run id");
    assertThatThrownBy(() -> approvals.request(request("run-a/b", "approve", "n")))
        .hasMessageContaining("run id");
    assertThatThrownBy(() -> approvals.check(request("run-a", "x.decision", "n")))
        .hasMessageContaining("step id")
        .hasMessageContaining("a letter first");
    assertThat(root.resolve("etc")).doesNotExist();
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void aRunDirectoryThatIsALink_isNeitherReadNorWritten() throws Exception {
    Path approvalsDir = root.resolve("shared/approvals");
    Files.createDirectories(approvalsDir);
    Files.createSymbolicLink(approvalsDir.resolve("run-01jabc"), elsewhere);

    assertThatThrownBy(() -> approvals.request(request))
        .hasMessageContaining("is a link or not a directory");
    assertThatThrownBy(() -> approvals.submit(genuine(request, true, "")))
        .hasMessageContaining("is a link or not a directory");
    try (var files = Files.list(elsewhere)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aHostileRequestFile_isNotPending() throws Exception {
    approvals.request(request);
    Path dir = root.resolve("shared/approvals/run-other");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("gate.request.json"), "{not json");
    Files.writeString(dir.resolve("..request.json"), "{}");

    assertThat(approvals.pending()).containsExactly(request);
  }

  /** Every way an agent that can write the shared root, but not read the key, might forge. */
  @Nested
  class Forgeries {
    @BeforeEach
    void requested() {
      approvals.request(request);
    }

    private ObjectNode genuineJson(ApprovalRequest r) {
      return (ObjectNode)
          Json.mapper().readTree(ApprovalCodec.decision(genuine(r, true, "signed by stryk")));
    }

    private void write(Object json) throws Exception {
      write(Json.mapper().writeValueAsBytes(json));
    }

    private void write(byte[] bytes) throws Exception {
      Files.createDirectories(decisionFile(request).getParent());
      Files.write(decisionFile(request), bytes);
    }

    private void assertRefused(String reason) throws Exception {
      Optional<ApprovalOutcome> outcome = approvals.check(request);
      assertThat(outcome).containsInstanceOf(ApprovalOutcome.Refused.class);
      ApprovalOutcome.Refused refused = (ApprovalOutcome.Refused) outcome.orElseThrow();
      assertThat(refused.reason()).contains(reason);
      assertThat(refused.movedTo())
          .matches("shared/approvals/run-01jabc/approve\\.refused-[0-9a-z]{26}\\.json");
      assertThat(root.resolve(refused.movedTo())).exists();
      assertThat(decisionFile(request)).doesNotExist();
      assertThat(approvals.pending()).containsExactly(request); // The request stands.

      approvals.submit(genuine(request, true, "the real one"));
      assertThat(approvals.check(request))
          .hasValueSatisfying(o -> assertThat(o).isInstanceOf(ApprovalOutcome.Decided.class));
    }

    @Test
    void noSignature() throws Exception {
      ObjectNode json = genuineJson(request);
      json.remove("signature");
      write(json);
      assertRefused("field 'signature' is missing");
    }

    @Test
    void aSignatureByAnUntrustedApprover() throws Exception {
      ApproverKeys mallory = ApproverKeys.at(elsewhere);
      mallory.init(AgentName.of("mallory"), false);
      ApprovalRequest anyone = request("run-01jabc", "approve", "n0nce-1");
      write(
          ApprovalCodec.decision(
              mallory.sign(AgentName.of("mallory"), anyone, true, "", NOW.plusSeconds(1))));
      assertRefused("approver 'mallory' is not among this request's approvers [stryk]");
    }

    @Test
    void anotherKey_underTheApproversName() throws Exception {
      ApproverKeys fake = ApproverKeys.at(elsewhere);
      fake.init(STRYK, false);
      write(ApprovalCodec.decision(fake.sign(STRYK, request, true, "", NOW.plusSeconds(1))));
      assertRefused("is not the trusted key of approver 'stryk'");
    }

    @Test
    void anotherKey_claimingTheTrustedKeyId() throws Exception {
      ApproverKeys fake = ApproverKeys.at(elsewhere);
      fake.init(STRYK, false);
      ApprovalDecision forged = fake.sign(STRYK, request, true, "", NOW.plusSeconds(1));
      ApprovalDecision claimed =
          new ApprovalDecision(
              forged.runId(),
              forged.step(),
              forged.nonce(),
              true,
              "stryk",
              keys.identity(STRYK).orElseThrow().keyId(),
              "",
              forged.decidedAt(),
              forged.signature());
      write(ApprovalCodec.decision(claimed));
      assertRefused("the signature does not verify with the trusted key");
    }

    @Test
    void anUntrustedApprover_whenAnyApproverMay() throws Exception {
      ApprovalRequest anyone =
          new ApprovalRequest(
              request.runId(),
              request.step(),
              "release",
              request.nonce(),
              "m",
              null,
              AgentName.of("dc"),
              NOW,
              NOW.plusSeconds(3600),
              List.of());
      ApproverKeys mallory = ApproverKeys.at(elsewhere);
      mallory.init(AgentName.of("mallory"), false);
      write(
          ApprovalCodec.decision(
              mallory.sign(AgentName.of("mallory"), anyone, true, "", NOW.plusSeconds(1))));

      ApprovalOutcome.Refused refused =
          (ApprovalOutcome.Refused) approvals.check(anyone).orElseThrow();

      assertThat(refused.reason()).contains("approver 'mallory' is not trusted on this machine");
    }

    @Test
    void aTrustedApprover_notInTheRequestsList() throws Exception {
      AgentName bob = AgentName.of("bob");
      keys.init(bob, false);
      write(ApprovalCodec.decision(keys.sign(bob, request, true, "", NOW.plusSeconds(1))));
      assertRefused("approver 'bob' is not among this request's approvers [stryk]");
    }

    @Test
    void aDecisionForAnotherRun_replayed() throws Exception {
      write(genuineJson(request("run-other", "approve", "n0nce-1")));
      assertRefused("runId is 'run-other', not this request's 'run-01jabc'");
    }

    @Test
    void aDecisionForAnotherStep_replayed() throws Exception {
      write(genuineJson(request("run-01jabc", "deploy", "n0nce-1")));
      assertRefused("step is 'deploy', not this request's 'approve'");
    }

    @Test
    void aDecisionForAnEarlierRequest_replayed() throws Exception {
      write(genuineJson(request("run-01jabc", "approve", "old-nonce")));
      assertRefused("nonce does not match");
    }

    @Test
    void anEditedComment() throws Exception {
      write(genuineJson(request).put("comment", "approved by the board"));
      assertRefused("the signature does not verify");
    }

    @Test
    void anEditedDecision() throws Exception {
      ObjectNode json =
          (ObjectNode)
              Json.mapper().readTree(ApprovalCodec.decision(genuine(request, false, "no")));
      write(json.put("decision", "approved"));
      assertRefused("the signature does not verify");
    }

    @Test
    void anEditedTime() throws Exception {
      write(genuineJson(request).put("decidedAt", NOW.plusSeconds(5).toString()));
      assertRefused("the signature does not verify");
    }

    @Test
    void aDecisionAfterTheExpiry() throws Exception {
      write(
          ApprovalCodec.decision(
              keys.sign(STRYK, request, true, "", request.expiresAt().plusMillis(1))));
      assertRefused("after the request expired at " + request.expiresAt());
    }

    @Test
    void anUnknownKind() throws Exception {
      write(genuineJson(request).put("kind", "phisync.approval-decision/0"));
      assertRefused("kind is 'phisync.approval-decision/0'");
    }

    @Test
    void aDecisionThatIsNeitherApprovedNorRejected() throws Exception {
      write(genuineJson(request).put("decision", "yes"));
      assertRefused("neither 'approved' nor 'rejected'");
    }

    @Test
    void garbageBytes() throws Exception {
      write(new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF, 0x7B});
      assertRefused("malformed decision");
    }

    @Test
    void notAnObject() throws Exception {
      write("[1, 2]".getBytes(StandardCharsets.UTF_8));
      assertRefused("malformed decision: not a JSON object");
    }

    @Test
    void anOversizeFile() throws Exception {
      byte[] big = new byte[io.phisync.spi.ApprovalStore.MAX_FILE_BYTES + 1];
      java.util.Arrays.fill(big, (byte) ' ');
      write(big);
      assertRefused("is larger than " + io.phisync.spi.ApprovalStore.MAX_FILE_BYTES + " bytes");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aSymbolicLink_toAGenuineDecisionElsewhere() throws Exception {
      Path target = elsewhere.resolve("decision.json");
      Files.write(target, ApprovalCodec.decision(genuine(request, true, "")));
      Files.createSymbolicLink(decisionFile(request), target);
      assertRefused("is a symbolic link (not followed)");
      assertThat(target).exists(); // The link was moved aside, not what it points to.
    }

    @Test
    void aDirectory() throws Exception {
      Files.createDirectories(decisionFile(request));
      assertRefused("is not a regular file");
    }
  }

  @Nested
  class Keys {
    @Test
    @DisabledOnOs(OS.WINDOWS)
    void theKeyFiles_arePrivate() throws Exception {
      ApproverIdentity identity = keys.identity(STRYK).orElseThrow();

      assertThat(identity.privateKeyFile())
          .isEqualTo(home.resolve("approvers/stryk/private-key.pem"));
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(identity.privateKeyFile())))
          .isEqualTo("rw-------");
      for (Path dir : List.of(home.resolve("approvers"), home.resolve("approvers/stryk"))) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
            .isEqualTo("rwx------");
      }
      assertThat(Files.readString(identity.privateKeyFile()))
          .startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(Files.readString(identity.publicKeyFile()))
          .startsWith("-----BEGIN PUBLIC KEY-----");
      assertThat(identity.keyId()).matches("[0-9a-f]{16}");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aPrivateKeyOpenToOthers_isNotUsed() throws Exception {
      Path file = keys.identity(STRYK).orElseThrow().privateKeyFile();
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

      assertThatThrownBy(() -> genuine(request, true, ""))
          .isInstanceOf(ApprovalException.class)
          .hasMessageContaining("open to other users")
          .hasMessageContaining("chmod 600");
    }

    @Test
    void init_isTrustedHere_andRefusesToReplaceWithoutForce() {
      ApproverIdentity first = keys.identity(STRYK).orElseThrow();
      assertThat(keys.trusted()).extracting(TrustedApprover::keyId).containsExactly(first.keyId());

      assertThatThrownBy(() -> keys.init(STRYK, false))
          .isInstanceOf(ApprovalException.class)
          .hasMessageContaining("--force");
      ApproverIdentity second = keys.init(STRYK, true);

      assertThat(second.keyId()).isNotEqualTo(first.keyId());
      assertThat(keys.trusted(STRYK).orElseThrow().keyId()).isEqualTo(second.keyId());
    }

    @Test
    void trust_takesAnotherMachinesKey_andRefusesToReplaceSilently() throws Exception {
      ApproverKeys other = ApproverKeys.at(elsewhere);
      AgentName alice = AgentName.of("alice");
      ApproverIdentity aliceKey = other.init(alice, false);
      String pem = Files.readString(aliceKey.publicKeyFile());

      assertThat(keys.trust(alice, pem, false).keyId()).isEqualTo(aliceKey.keyId());
      assertThat(keys.trust(alice, pem, false).keyId()).isEqualTo(aliceKey.keyId());
      String another = Files.readString(other.init(alice, true).publicKeyFile());
      assertThatThrownBy(() -> keys.trust(alice, another, false))
          .hasMessageContaining("trusted with another key");
      assertThatThrownBy(
              () ->
                  keys.trust(
                      alice, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", false))
          .isInstanceOf(ApprovalException.class)
          .hasMessageContaining("not an Ed25519 public key");
    }

    @Test
    void aHomeInsideTheRoot_isRefused() {
      try (PhiSync inside = PhiSync.builder(root).approverHome(root.resolve("keys")).open()) {
        assertThatThrownBy(inside::approvals)
            .isInstanceOf(ApprovalException.class)
            .hasMessageContaining("inside the shared root");
      }
    }

    @Test
    void signing_withoutAKey_saysHowToMakeOne() {
      assertThatThrownBy(() -> keys.sign(AgentName.of("nobody"), request, true, "", NOW))
          .hasMessageContaining("phisync approver init --name nobody");
    }
  }
}
