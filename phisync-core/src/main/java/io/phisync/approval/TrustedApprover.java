package io.phisync.approval;

import io.phisync.protocol.AgentName;

/**
 * An approver whose decisions this machine accepts.
 *
 * @param name the approver
 * @param keyId the first 16 hex characters of the SHA-256 of the encoded public key
 * @param publicKeyPem the Ed25519 public key, PEM ({@code BEGIN PUBLIC KEY})
 */
public record TrustedApprover(AgentName name, String keyId, String publicKeyPem) {}
