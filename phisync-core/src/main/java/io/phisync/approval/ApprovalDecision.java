package io.phisync.approval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A signed decision, as {@code phisync approve} or {@code phisync reject} writes it to {@code
 * shared/approvals/<runId>/<step>.decision.json}. The signature is Ed25519 over the UTF-8 of {@link
 * #signedText}.
 *
 * @param runId the run of the request decided on
 * @param step the approval step
 * @param nonce the request's nonce
 * @param approved whether it was approved (else rejected)
 * @param approver who decided
 * @param keyId the first 16 hex characters of the SHA-256 of the approver's encoded public key
 * @param comment the approver's comment, empty when none
 * @param decidedAt when, exactly as written in the file (ISO-8601)
 * @param signature the base64 Ed25519 signature
 */
public record ApprovalDecision(
    String runId,
    String step,
    String nonce,
    boolean approved,
    String approver,
    String keyId,
    String comment,
    String decidedAt,
    String signature) {
  /** The {@code kind} of a decision file. */
  public static final String KIND = "phisync.approval-decision/1";

  /** The first line of the signed text. */
  public static final String SIGNED_HEADER = "phisync-approval-decision-v1";

  /** {@code approved} or {@code rejected}. */
  public String decision() {
    return approved ? "approved" : "rejected";
  }

  /** The text the signature covers. */
  public String signedText() {
    return signedText(runId, step, nonce, decision(), approver, keyId, decidedAt, comment);
  }

  /**
   * The lines {@code phisync-approval-decision-v1, runId, step, nonce, decision, approver, keyId,
   * decidedAt, base64(SHA-256(UTF-8 comment))}, joined by {@code \n}.
   */
  static String signedText(
      String runId,
      String step,
      String nonce,
      String decision,
      String approver,
      String keyId,
      String decidedAt,
      String comment) {
    return String.join(
        "\n",
        SIGNED_HEADER,
        runId,
        step,
        nonce,
        decision,
        approver,
        keyId,
        decidedAt,
        Base64.getEncoder().encodeToString(sha256(comment.getBytes(StandardCharsets.UTF_8))));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
