package io.phisync.approval;

import io.phisync.protocol.AgentName;
import java.time.Instant;

/** What a look at a request's decision found. */
public sealed interface ApprovalOutcome {

  /**
   * A decision whose signature verified with a trusted key of an allowed approver, over this
   * request's run, step and nonce.
   */
  record Decided(boolean approved, AgentName approver, String keyId, String comment, Instant at)
      implements ApprovalOutcome {}

  /**
   * A decision file that did not verify (no or bad signature, unknown or untrusted key, approver
   * not allowed, other run, step or nonce). It has been moved aside, so a genuine decision can
   * still be written; the request stands.
   */
  record Refused(String reason, String movedTo) implements ApprovalOutcome {}
}
