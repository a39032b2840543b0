package io.pond.platform.apikey.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The secret of an API key. Only its SHA-256 is stored: generated secrets carry 190 bits of
 * randomness, so a plain (unsalted) hash is enough and lets authentication look a key up by hash.
 * The first characters are kept as a prefix so operators can tell keys apart in lists.
 */
public record KeySecret(String value) {

  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_CHARS = 32;
  private static final int PREFIX_CHARS = 12;

  public KeySecret {
    Objects.requireNonNull(value, "value");
  }

  /** A fresh secret such as {@code pond_sk_3fZ…}; {@code random} must be a secure generator. */
  public static KeySecret generate(KeyKind kind, RandomGenerator random) {
    StringBuilder sb = new StringBuilder("pond_").append(kind.tag()).append('_');
    for (int i = 0; i < RANDOM_CHARS; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return new KeySecret(sb.toString());
  }

  public String hash() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public String prefix() {
    return value.substring(0, Math.min(PREFIX_CHARS, value.length()));
  }

  @Override
  public String toString() {
    return prefix() + "…";
  }
}
