package io.phisync.approval;

import io.phisync.spi.Wakeup;
import java.util.List;
import java.util.Optional;

/**
 * Approval requests and decisions in {@code shared/approvals/}. Anybody who can write the shared
 * directory can write a decision file; only one signed with a trusted approver's private key (kept
 * outside the root, readable only by its owner) is accepted.
 *
 * <p>Implementations are thread-safe and safe across processes.
 */
public interface Approvals {

  /** Writes the request file, unless it is already there with the same nonce. Idempotent. */
  void request(ApprovalRequest request);

  /**
   * Looks for the decision on a request: empty while there is none; {@link ApprovalOutcome.Decided}
   * for a verified one; {@link ApprovalOutcome.Refused} for one that did not verify (moved aside,
   * so the next call looks again).
   */
  Optional<ApprovalOutcome> check(ApprovalRequest request);

  /** Marks a request resolved (decided, expired or its run canceled): it is no longer pending. */
  void close(ApprovalRequest request, String resolution);

  /** The requests that stand, oldest first. */
  List<ApprovalRequest> pending();

  /** Wakes a waiter when a decision may have been written. */
  Wakeup watch();
}
