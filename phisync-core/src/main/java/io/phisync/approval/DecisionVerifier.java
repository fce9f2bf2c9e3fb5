package io.phisync.approval;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.protocol.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Accepts a decision only when every check passes: its fields, this request's run, step and nonce,
 * an approver the request allows, that approver's trusted key (by name and keyId), a decision time
 * not after the request's expiry, and a valid Ed25519 signature.
 */
final class DecisionVerifier {
  private final ApproverKeys keys;

  DecisionVerifier(ApproverKeys keys) {
    this.keys = keys;
  }

  /** Why a decision is refused. */
  static final class Forgery extends Exception {
    private static final long serialVersionUID = 1L;

    Forgery(String reason) {
      super(reason, null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
    }
  }

  ApprovalOutcome.Decided verify(ApprovalRequest request, byte[] bytes) throws Forgery {
    ApprovalDecision decision;
    try {
      decision = ApprovalCodec.decision(bytes);
    } catch (MalformedMessageException e) {
      throw new Forgery("malformed decision: " + e.getMessage());
    }
    same("runId", decision.runId(), request.runId());
    same("step", decision.step(), request.step());
    if (!decision.nonce().equals(request.nonce())) {
      throw new Forgery(
          "nonce does not match this request's (a decision for an earlier or other request"
              + " replayed?)");
    }
    AgentName approver;
    try {
      approver = AgentName.of(decision.approver());
    } catch (IllegalArgumentException e) {
      throw new Forgery("approver: " + e.getMessage());
    }
    if (!request.approvers().isEmpty() && !request.approvers().contains(approver)) {
      throw new Forgery(
          "approver '"
              + approver
              + "' is not among this request's approvers "
              + request.approvers());
    }
    TrustedApprover trusted = trusted(approver);
    if (!trusted.keyId().equals(decision.keyId())) {
      throw new Forgery(
          "keyId '"
              + decision.keyId()
              + "' is not the trusted key of approver '"
              + approver
              + "' (trusted: "
              + trusted.keyId()
              + ")");
    }
    Instant at = decidedAt(decision.decidedAt());
    if (at.isAfter(request.expiresAt())) {
      throw new Forgery(
          "decided at " + at + ", after the request expired at " + request.expiresAt());
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(decision.signature());
    } catch (IllegalArgumentException e) {
      throw new Forgery("the signature is not base64");
    }
    if (!Ed25519.verify(
        Ed25519.publicKey(trusted.publicKeyPem()), decision.signedText(), signature)) {
      throw new Forgery(
          "the signature does not verify with the trusted key "
              + trusted.keyId()
              + " of approver '"
              + approver
              + "' (forged, or a field was edited after signing)");
    }
    return new ApprovalOutcome.Decided(
        decision.approved(), approver, decision.keyId(), decision.comment(), at);
  }

  private TrustedApprover trusted(AgentName approver) throws Forgery {
    Optional<TrustedApprover> trusted;
    try {
      trusted = keys.trusted(approver);
    } catch (ApprovalException e) {
      throw new Forgery(String.valueOf(e.getMessage()));
    }
    if (trusted.isEmpty()) {
      throw new Forgery(
          "approver '"
              + approver
              + "' is not trusted on this machine (no key in "
              + keys.home()
              + "/trusted-approvers)");
    }
    return trusted.get();
  }

  private static void same(String field, String actual, String expected) throws Forgery {
    if (!actual.equals(expected)) {
      throw new Forgery(
          field + " is '" + actual + "', not this request's '" + expected + "' (replayed?)");
    }
  }

  private static Instant decidedAt(String text) throws Forgery {
    try {
      return Timestamps.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new Forgery("decidedAt: " + e.getMessage());
    }
  }
}
