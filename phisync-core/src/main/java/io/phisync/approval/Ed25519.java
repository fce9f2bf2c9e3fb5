package io.phisync.approval;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ed25519 keys in PEM, key ids and signatures, with the JDK's own provider (Java 15+). */
final class Ed25519 {
  static final String PUBLIC_LABEL = "PUBLIC KEY";
  static final String PRIVATE_LABEL = "PRIVATE KEY";
  private static final String ALGORITHM = "Ed25519";
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private Ed25519() {}

  static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no Ed25519 (Java 15+ has)", e);
    }
  }

  static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /**
   * @throws ApprovalException when {@code text} holds no PEM block with this label
   */
  static byte[] der(String text, String label) {
    Matcher matcher = PEM.matcher(text);
    if (!matcher.find() || !matcher.group(1).equals(label)) {
      throw new ApprovalException("not a PEM '" + label + "' block");
    }
    try {
      return Base64.getMimeDecoder().decode(matcher.group(2));
    } catch (IllegalArgumentException e) {
      throw new ApprovalException("the PEM '" + label + "' block is not base64", e);
    }
  }

  /**
   * @throws ApprovalException when the text is not an Ed25519 public key in PEM
   */
  static PublicKey publicKey(String pem) {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(der(pem, PUBLIC_LABEL)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new ApprovalException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /**
   * @throws ApprovalException when the text is not an Ed25519 private key in PEM (PKCS#8)
   */
  static PrivateKey privateKey(String pem) {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePrivate(new PKCS8EncodedKeySpec(der(pem, PRIVATE_LABEL)));
    } catch (GeneralSecurityException e) {
      throw new ApprovalException("not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** The first 16 hex characters of the SHA-256 of the encoded (X.509) public key. */
  static String keyId(PublicKey key) {
    return HexFormat.of().formatHex(ApprovalDecision.sha256(key.getEncoded())).substring(0, 16);
  }

  static String sign(PrivateKey key, String text) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new ApprovalException("could not sign: " + e.getMessage(), e);
    }
  }

  /** Whether {@code base64Signature} is a valid signature of {@code text} by {@code key}. */
  static boolean verify(PublicKey key, String text, byte[] signatureBytes) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(key);
      signature.update(text.getBytes(StandardCharsets.UTF_8));
      return signature.verify(signatureBytes);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
