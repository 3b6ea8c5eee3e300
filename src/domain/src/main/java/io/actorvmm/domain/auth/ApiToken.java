package io.actorvmm.domain.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An API token as a caller holds it: {@code avm.ID.SECRET}, an opaque random value. The id (16 hex digits)
 * names the token's entity and appears in the audit trail; the secret (32 random bytes) is never stored:
 * the cluster keeps its SHA-256 digest only. A random 256-bit secret needs no slow hash: nothing can be
 * guessed from its digest.
 */
public record ApiToken(String id, String secret) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "avm.";

  /** A new random token. */
  public static ApiToken generate() {
    byte[] id = new byte[8];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    return new ApiToken(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** Reads a token's text; null when it does not have the token's shape. */
  public static ApiToken parse(String text) {
    if (text == null) return null;
    String t = text.strip();
    if (!t.startsWith(PREFIX)) return null;
    int dot = t.indexOf('.', PREFIX.length());
    if (dot < 0) return null;
    String id = t.substring(PREFIX.length(), dot);
    String secret = t.substring(dot + 1);
    if (!id.matches("[0-9a-f]{16}") || !secret.matches("[A-Za-z0-9_-]{43}")) return null;
    return new ApiToken(id, secret);
  }

  /** The text a caller sends. */
  public String text() {
    return PREFIX + id + "." + secret;
  }

  /** The digest the cluster keeps. */
  public String digest() {
    return digest(secret);
  }

  /** True when this token's secret has {@code digest}, compared in constant time. */
  public boolean matches(String digest) {
    return digest != null && MessageDigest.isEqual(digest().getBytes(StandardCharsets.US_ASCII),
        digest.getBytes(StandardCharsets.US_ASCII));
  }

  /** The SHA-256 digest of {@code secret}, hex. */
  static String digest(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Never the secret: records print themselves in logs and failures. */
  @Override
  public String toString() {
    return "token " + id;
  }
}
