package io.phisync.approval;

import io.phisync.protocol.AgentName;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The approver keys and the trusted approvers of one user, kept in a home directory OUTSIDE the
 * shared root: {@code <home>/approvers/<name>/private-key.pem} (PKCS#8 Ed25519, file {@code 0600}
 * in {@code 0700} directories), {@code public-key.pem} beside it, and the trusted public keys in
 * {@code <home>/trusted-approvers/<name>.pem}.
 *
 * <p>Implementations are thread-safe.
 */
public interface ApproverKeys {
  /** The environment variable that names the home when none is given. */
  String HOME_VARIABLE = "PHISYNC_HOME";

  /** The keys in {@code home}. Nothing is created until a key is made or trusted. */
  static ApproverKeys at(Path home) {
    return new FileApproverKeys(home);
  }

  /**
   * The keys in {@code home}, which must not be inside {@code root}: anything there is writable by
   * every agent on the root.
   *
   * @throws ApprovalException when it is
   */
  static ApproverKeys outside(Path root, Path home) {
    if (FileApproverKeys.resolved(home).startsWith(FileApproverKeys.resolved(root))) {
      throw new ApprovalException(
          "the approver home "
              + home
              + " is inside the shared root "
              + root
              + ": agents could read or replace its keys; choose a home outside the root");
    }
    return at(home);
  }

  /** The home when none is given: {@code PHISYNC_HOME} in {@code env}, else {@code ~/.phisync}. */
  static Path defaultHome(Map<String, String> env) {
    String fromEnv = env.get(HOME_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Paths.get(fromEnv);
    }
    return Paths.get(System.getProperty("user.home"), ".phisync");
  }

  /** The home directory. */
  Path home();

  /**
   * Creates a new key pair for {@code name} and trusts its public key on this machine.
   *
   * @param replace whether to replace an existing key (decisions signed with the old one then no
   *     longer verify where only the new one is trusted)
   * @throws ApprovalException when a key exists and {@code replace} is false
   */
  ApproverIdentity init(AgentName name, boolean replace);

  /**
   * Trusts {@code name}'s public key (PEM) on this machine.
   *
   * @param replace whether to replace another key trusted under this name
   * @throws ApprovalException when the text is not an Ed25519 public key, or another key is trusted
   *     for {@code name} and {@code replace} is false
   */
  TrustedApprover trust(AgentName name, String publicKeyPem, boolean replace);

  /** The trusted approvers, by name. Unreadable trust files are left out. */
  List<TrustedApprover> trusted();

  /**
   * The trusted approver of that name.
   *
   * @throws ApprovalException when its trust file exists but does not hold an Ed25519 key
   */
  Optional<TrustedApprover> trusted(AgentName name);

  /** The approver keys held here, by name. */
  List<ApproverIdentity> identities();

  /** The key held here for {@code name}. */
  Optional<ApproverIdentity> identity(AgentName name);

  /**
   * Signs a decision on {@code request} as {@code approver}.
   *
   * @throws ApprovalException when there is no key for {@code approver} here, or its private key
   *     file is a link or readable by others
   */
  ApprovalDecision sign(
      AgentName approver,
      ApprovalRequest request,
      boolean approved,
      String comment,
      Instant decidedAt);
}
