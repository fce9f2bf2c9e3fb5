package io.phisync.approval;

import io.phisync.protocol.AgentName;
import java.nio.file.Path;

/**
 * An approver key held on this machine.
 *
 * @param name the approver
 * @param keyId the first 16 hex characters of the SHA-256 of the encoded public key
 * @param privateKeyFile the PKCS#8 private key, readable only by its owner
 * @param publicKeyFile the public key, for other machines to trust
 */
public record ApproverIdentity(
    AgentName name, String keyId, Path privateKeyFile, Path publicKeyFile) {}
