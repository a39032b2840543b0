package io.pond.platform.pii;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Personal data at rest: phone numbers and e-mail addresses are stored encrypted (AES-256-GCM) and
 * matched by a keyed hash (HMAC-SHA256), so the stores never hold them in clear and equal values still
 * find each other.
 *
 * <p>Two sub-keys are derived from the one master key ({@code POND_PII_KEY}): one encrypts, one hashes.
 * A ciphertext is {@code <keyId>:<base64(iv || ciphertext+tag)>}; the key id (8 hex characters of a
 * digest of the master key) lets a rotated store decrypt values written under a retired key: the
 * cipher is a key ring — the current key encrypts and hashes, retired keys only decrypt and recognise
 * old hashes. Stores re-key their values through {@link PiiStore} (docs/pii.md). Thread-safe.
 */
public final class PiiCipher {

  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  // PERF: Cipher/Mac lookups go through the provider list on every getInstance; one per thread is reused.
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/GCM/NoPadding")));
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));

  private interface Factory<T> {
    T get() throws GeneralSecurityException;
  }

  private static <T> T instance(Factory<T> factory) {
    try {
      return factory.get();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES-GCM or HmacSHA256", e);
    }
  }

  private final Keys current;
  private final Map<String, Keys> byId = new LinkedHashMap<>();

  private record Keys(String id, SecretKeySpec encryption, SecretKeySpec hashing) {}

  /** @param masterKey 32 bytes; {@code retired} keys only decrypt values written before a rotation. */
  public PiiCipher(byte[] masterKey, List<byte[]> retired) {
    this(derive(masterKey), retired.stream().map(PiiCipher::derive).toList());
  }

  private PiiCipher(Keys current, List<Keys> retired) {
    this.current = current;
    byId.put(current.id(), current);
    for (Keys keys : retired) {
      byId.putIfAbsent(keys.id(), keys);
    }
  }

  /**
   * The key ring after a rotation: {@code newMasterKey} encrypts and hashes from now on, every key of
   * this ring (the current one included) is kept to decrypt and to recognise old hashes.
   */
  public PiiCipher rotatedTo(byte[] newMasterKey) {
    Keys next = derive(newMasterKey);
    if (byId.containsKey(next.id())) {
      throw new IllegalArgumentException("the new PII key is already in the key ring (" + next.id() + ")");
    }
    return new PiiCipher(next, List.copyOf(byId.values()));
  }

  /** The ids of every key in the ring, the current one first. */
  public List<String> keyIds() {
    return List.copyOf(byId.keySet());
  }

  /** The id of the key that sealed a ciphertext (no key needed to read it). */
  public static String keyIdOf(String ciphertext) {
    int colon = ciphertext.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a Pond ciphertext (no key id)");
    }
    return ciphertext.substring(0, colon);
  }

  /**
   * The value sealed with the current key: unchanged when it already is, else decrypted with the key
   * that sealed it and encrypted again (a key rotation re-encrypts stored values with this).
   *
   * @throws IllegalArgumentException when the key that sealed it is not in the ring
   */
  public String reseal(String ciphertext) {
    return keyIdOf(ciphertext).equals(current.id()) ? ciphertext : encryptBytes(decryptBytes(ciphertext));
  }

  public PiiCipher(byte[] masterKey) {
    this(masterKey, List.of());
  }

  /** The id of the key that encrypts new values. */
  public String keyId() {
    return current.id();
  }

  public String encrypt(String plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    return encryptBytes(plaintext.getBytes(StandardCharsets.UTF_8));
  }

  /** @throws IllegalArgumentException when the value was tampered with or its key is unknown */
  public String decrypt(String ciphertext) {
    return new String(decryptBytes(ciphertext), StandardCharsets.UTF_8);
  }

  /** {@link #encrypt} of bytes (a compressed document, a binary batch): the same ciphertext form. */
  public String encryptBytes(byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.ENCRYPT_MODE, current.encryption(), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(current.id().getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
      return current.id() + ":" + Base64.getEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** @throws IllegalArgumentException when the value was tampered with or its key is unknown */
  public byte[] decryptBytes(String ciphertext) {
    int colon = ciphertext.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a Pond ciphertext (no key id)");
    }
    String id = ciphertext.substring(0, colon);
    Keys keys = byId.get(id);
    if (keys == null) {
      throw new IllegalArgumentException("encrypted with unknown key " + id + " (the key ring holds " + String.join(", ", byId.keySet())
          + "): add the old key to POND_PII_RETIRED_KEYS or as a further line of the key file");
    }
    try {
      byte[] in = Base64.getDecoder().decode(ciphertext.substring(colon + 1));
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.DECRYPT_MODE, keys.encryption(), new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      cipher.updateAAD(id.getBytes(StandardCharsets.US_ASCII));
      return cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IllegalArgumentException("ciphertext failed authentication", e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot decrypt: " + e.getMessage(), e);
    }
  }

  /**
   * HMAC-SHA256 of a (normalised) value with the current hashing key, URL-safe base64 without padding
   * (43 characters). Equal inputs give equal hashes; the hash reveals nothing without the key.
   */
  public String keyedHash(String value) {
    return keyedHash(current, value);
  }

  /**
   * The keyed hashes of a value under every key of the ring, the current key's first: what a stored
   * match key may hold for this value before, during and after a rotation.
   */
  public List<String> keyedHashesUnderEveryKey(String value) {
    return byId.values().stream().map(k -> keyedHash(k, value)).toList();
  }

  private String keyedHash(Keys keys, String value) {
    try {
      Mac mac = macs.get();
      mac.init(keys.hashing());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * What a caller without the right to see personal data is shown: a Chinese mobile keeps its first
   * three and last four digits ({@code 138****8000}), other phones their last four, an e-mail the first
   * character of the local part and the domain ({@code a***@example.com}).
   */
  public static String mask(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    int at = value.indexOf('@');
    if (at > 0) {
      return value.charAt(0) + "***" + value.substring(at);
    }
    String digits = value.startsWith("+86") ? value.substring(3) : value;
    if (digits.length() == 11 && digits.chars().allMatch(Character::isDigit)) {
      return digits.substring(0, 3) + "****" + digits.substring(7);
    }
    if (value.length() <= 4) {
      return "****";
    }
    return "*".repeat(Math.min(8, value.length() - 4)) + value.substring(value.length() - 4);
  }

  private static Keys derive(byte[] masterKey) {
    if (masterKey == null || masterKey.length != 32) {
      throw new IllegalArgumentException("a PII key has 32 bytes");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
      byte[] encryption = mac.doFinal("pond-pii-encryption".getBytes(StandardCharsets.US_ASCII));
      byte[] hashing = mac.doFinal("pond-pii-hashing".getBytes(StandardCharsets.US_ASCII));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(masterKey);
      String id = HexFormat.of().formatHex(digest, 0, 4).toLowerCase(Locale.ROOT);
      return new Keys(id, new SecretKeySpec(encryption, "AES"), new SecretKeySpec(hashing, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
