package io.pond.platform.user.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The opaque token a console session is known by ({@code pond_cs_…}). Like API keys, only its
 * SHA-256 is stored: 43 random base-62 characters (256 bits) need no salt, and the hash lets a
 * request find its session by an index lookup.
 */
public record SessionToken(String value) {

  public static final String PREFIX = "pond_cs_";
  /** Member-center sessions ({@code pond_ms_…}): a member signed in with a one-time code. */
  public static final String MEMBER_PREFIX = "pond_ms_";
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_CHARS = 43;

  public SessionToken {
    Objects.requireNonNull(value, "value");
  }

  /** A fresh token; {@code random} must be a secure generator. */
  public static SessionToken generate(RandomGenerator random) {
    return generate(random, PREFIX);
  }

  /** A fresh member-center token. */
  public static SessionToken generateMember(RandomGenerator random) {
    return generate(random, MEMBER_PREFIX);
  }

  private static SessionToken generate(RandomGenerator random, String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < RANDOM_CHARS; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return new SessionToken(sb.toString());
  }

  /** Whether a presented bearer credential is shaped like a session token (rather than an API key). */
  public static boolean looksLikeOne(String credential) {
    return credential.startsWith(PREFIX);
  }

  /** Whether a presented bearer credential is shaped like a member-center session token. */
  public static boolean looksLikeMember(String credential) {
    return credential.startsWith(MEMBER_PREFIX);
  }

  public String hash() {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return value.substring(0, PREFIX.length()) + "…";
  }
}
