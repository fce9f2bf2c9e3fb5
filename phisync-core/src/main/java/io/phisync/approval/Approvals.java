package io.phisync.approval;

import io.phisync.spi.ApprovalStore;
import io.phisync.spi.Wakeup;
import java.time.Clock;
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

  // Added by the approvals implementation (all additive; the defaults keep test doubles compiling).

  /**
   * Approvals in {@code store}, verified with the trusted approvers of {@code keys}. Usually
   * reached through {@code PhiSync.approvals()}.
   */
  static Approvals over(ApprovalStore store, ApproverKeys keys, Clock clock) {
    return new FileApprovals(store, keys, clock);
  }

  /** The request of that run's step, whether it stands or was closed. */
  default Optional<ApprovalRequest> find(String runId, String step) {
    return pending().stream()
        .filter(r -> r.runId().equals(runId) && r.step().equals(step))
        .findFirst();
  }

  /**
   * Writes a signed decision unless a decision is there already (put-if-absent). Nothing is
   * verified here; {@link #check} verifies.
   *
   * @return false when a decision is there already
   */
  default boolean submit(ApprovalDecision decision) {
    throw new UnsupportedOperationException("these approvals take no decisions");
  }

  /**
   * The decision file of that run's step as written, NOT verified (for telling who decided); empty
   * when there is none or it is malformed.
   */
  default Optional<ApprovalDecision> decision(String runId, String step) {
    return Optional.empty();
  }

  /** How the request of that run's step was resolved ({@link #close}), if it was. */
  default Optional<String> resolution(String runId, String step) {
    return Optional.empty();
  }

  /** Wakes a waiter when a decision on {@code request} may have been written. */
  default Wakeup watch(ApprovalRequest request) {
    return watch();
  }
}
