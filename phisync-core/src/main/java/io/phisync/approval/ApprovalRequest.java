package io.phisync.approval;

import io.phisync.protocol.AgentName;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What an approver is asked: written to {@code shared/approvals/<runId>/<step>.request.json}.
 *
 * @param runId the workflow run
 * @param step the approval step's id
 * @param workflow the workflow's name
 * @param nonce a random value that a decision must sign, so that no decision can be replayed into
 *     another request
 * @param message what is to be approved
 * @param context what the approver should see, or null
 * @param requestedBy the orchestrator agent that asks
 * @param requestedAt when it asked
 * @param expiresAt until when the request stands
 * @param approvers who may decide; empty: any trusted approver
 */
public record ApprovalRequest(
    String runId,
    String step,
    String workflow,
    String nonce,
    String message,
    @Nullable JsonNode context,
    AgentName requestedBy,
    Instant requestedAt,
    Instant expiresAt,
    List<AgentName> approvers) {
  public ApprovalRequest {
    approvers = List.copyOf(approvers);
  }
}
