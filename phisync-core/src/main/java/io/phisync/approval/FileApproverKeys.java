package io.phisync.approval;

import io.phisync.protocol.AgentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** {@link ApproverKeys} in a home directory. */
final class FileApproverKeys implements ApproverKeys {
  static final String PRIVATE_KEY = "private-key.pem";
  static final String PUBLIC_KEY = "public-key.pem";

  /** Comments longer than this are refused, so that a decision file stays small. */
  static final int MAX_COMMENT = 10_000;

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final Path home;

  FileApproverKeys(Path home) {
    this.home = home.toAbsolutePath().normalize();
  }

  @Override
  public Path home() {
    return home;
  }

  private Path approverDir(AgentName name) {
    return home.resolve("approvers").resolve(name.value());
  }

  private Path trustFile(AgentName name) {
    return home.resolve("trusted-approvers").resolve(name.value() + ".pem");
  }

  @Override
  public synchronized ApproverIdentity init(AgentName name, boolean replace) {
    Path dir = approverDir(name);
    Path privateFile = dir.resolve(PRIVATE_KEY);
    if (!replace && Files.exists(privateFile, LinkOption.NOFOLLOW_LINKS)) {
      throw new ApprovalException(
          "approver '"
              + name
              + "' has a key already at "
              + privateFile
              + "; replace it with --force (decisions signed with the old key then no longer"
              + " verify where only the new one is trusted)");
    }
    KeyPair pair = Ed25519.generate();
    String publicPem = Ed25519.pem(Ed25519.PUBLIC_LABEL, pair.getPublic().getEncoded());
    try {
      privateDirectories(dir);
      write(privateFile, Ed25519.pem(Ed25519.PRIVATE_LABEL, pair.getPrivate().getEncoded()));
      write(dir.resolve(PUBLIC_KEY), publicPem);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the key of approver '" + name + "'", e);
    }
    trust(name, publicPem, /* replace= */ true);
    return new ApproverIdentity(
        name, Ed25519.keyId(pair.getPublic()), privateFile, dir.resolve(PUBLIC_KEY));
  }

  @Override
  public synchronized TrustedApprover trust(AgentName name, String publicKeyPem, boolean replace) {
    String keyId = Ed25519.keyId(Ed25519.publicKey(publicKeyPem));
    Optional<TrustedApprover> existing = readTrusted(name);
    if (existing.isPresent() && existing.get().keyId().equals(keyId)) {
      return existing.get();
    }
    if (existing.isPresent() && !replace) {
      throw new ApprovalException(
          "approver '"
              + name
              + "' is trusted with another key (keyId "
              + existing.get().keyId()
              + "); replace it with --force");
    }
    String canonical =
        Ed25519.pem(Ed25519.PUBLIC_LABEL, Ed25519.publicKey(publicKeyPem).getEncoded());
    try {
      privateDirectories(home.resolve("trusted-approvers"));
      write(trustFile(name), canonical);
    } catch (IOException e) {
      throw new UncheckedIOException("could not trust approver '" + name + "'", e);
    }
    return new TrustedApprover(name, keyId, canonical);
  }

  @Override
  public List<TrustedApprover> trusted() {
    List<TrustedApprover> out = new ArrayList<>();
    for (String fileName : names(home.resolve("trusted-approvers"), ".pem")) {
      try {
        readTrusted(AgentName.of(fileName.substring(0, fileName.length() - 4))).ifPresent(out::add);
      } catch (IllegalArgumentException | ApprovalException unreadable) {
        // Not a trust file PhiSync wrote, or not a key: not trusted.
      }
    }
    return out;
  }

  @Override
  public Optional<TrustedApprover> trusted(AgentName name) {
    return readTrusted(name);
  }

  private Optional<TrustedApprover> readTrusted(AgentName name) {
    Optional<String> pem = readSmall(trustFile(name));
    if (pem.isEmpty()) {
      return Optional.empty();
    }
    try {
      String keyId = Ed25519.keyId(Ed25519.publicKey(pem.get()));
      return Optional.of(new TrustedApprover(name, keyId, pem.get()));
    } catch (ApprovalException e) {
      throw new ApprovalException(
          "the trust file " + trustFile(name) + " is unreadable: " + e.getMessage(), e);
    }
  }

  @Override
  public List<ApproverIdentity> identities() {
    List<ApproverIdentity> out = new ArrayList<>();
    for (String dirName : names(home.resolve("approvers"), "")) {
      try {
        identity(AgentName.of(dirName)).ifPresent(out::add);
      } catch (IllegalArgumentException | ApprovalException notAKey) {
        // Not an approver directory PhiSync made.
      }
    }
    return out;
  }

  @Override
  public Optional<ApproverIdentity> identity(AgentName name) {
    Path dir = approverDir(name);
    Path privateFile = dir.resolve(PRIVATE_KEY);
    Optional<String> publicPem = readSmall(dir.resolve(PUBLIC_KEY));
    if (publicPem.isEmpty() || !Files.exists(privateFile, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(
        new ApproverIdentity(
            name,
            Ed25519.keyId(Ed25519.publicKey(publicPem.get())),
            privateFile,
            dir.resolve(PUBLIC_KEY)));
  }

  @Override
  public ApprovalDecision sign(
      AgentName approver,
      ApprovalRequest request,
      boolean approved,
      String comment,
      Instant decidedAt) {
    if (comment.length() > MAX_COMMENT) {
      throw new ApprovalException(
          "the comment is " + comment.length() + " characters; at most " + MAX_COMMENT);
    }
    ApproverIdentity identity =
        identity(approver)
            .orElseThrow(
                () ->
                    new ApprovalException(
                        "no approver key for '"
                            + approver
                            + "' in "
                            + home
                            + "; create one with 'phisync approver init --name "
                            + approver
                            + "'"));
    PrivateKey key = Ed25519.privateKey(readPrivate(identity.privateKeyFile()));
    String at = decidedAt.truncatedTo(ChronoUnit.MILLIS).toString();
    String decision = approved ? "approved" : "rejected";
    String text =
        ApprovalDecision.signedText(
            request.runId(),
            request.step(),
            request.nonce(),
            decision,
            approver.value(),
            identity.keyId(),
            at,
            comment);
    return new ApprovalDecision(
        request.runId(),
        request.step(),
        request.nonce(),
        approved,
        approver.value(),
        identity.keyId(),
        comment,
        at,
        Ed25519.sign(key, text));
  }

  private static String readPrivate(Path file) {
    try {
      if (Files.isSymbolicLink(file)) {
        throw new ApprovalException("the private key " + file + " is a symbolic link; refused");
      }
      if (POSIX) {
        Set<PosixFilePermission> mode =
            Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (mode.stream().anyMatch(OTHERS::contains)) {
          throw new ApprovalException(
              "the private key "
                  + file
                  + " is open to other users ("
                  + PosixFilePermissions.toString(mode)
                  + "); make it private with 'chmod 600 "
                  + file
                  + "'");
        }
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the private key " + file, e);
    }
  }

  private static Optional<String> readSmall(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 16_384) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private static List<String> names(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(suffix) && !n.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
  }

  /** Creates {@code dir} and its missing parents 0700; tightens {@code dir} itself to 0700. */
  private static void privateDirectories(Path dir) throws IOException {
    if (!POSIX) {
      Files.createDirectories(dir);
      return;
    }
    FileAttribute<Set<PosixFilePermission>> owner =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(dir, owner);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path parent = dir.getParent();
    if (parent != null && parent.getFileName().toString().equals("approvers")) {
      Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** Writes a file 0600 under a temp name, then renames it over the target in one step. */
  private static void write(Path target, String content) throws IOException {
    Path temp =
        target.resolveSibling(
            "." + target.getFileName() + "." + ThreadLocalRandom.current().nextLong() + ".tmp");
    FileAttribute<?>[] attributes =
        POSIX
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    try {
      Files.write(
          Files.createFile(temp, attributes),
          content.getBytes(StandardCharsets.US_ASCII),
          StandardOpenOption.WRITE);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The absolute path with every existing part's links resolved. */
  static Path resolved(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    } catch (IOException e) {
      return absolute;
    }
  }
}
