package io.pond.platform.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PiiCipherTest {

  static byte[] key(int seed) {
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (seed * 31 + i);
    }
    return k;
  }

  final PiiCipher cipher = new PiiCipher(key(1));

  @Test
  void a_value_is_encrypted_with_a_fresh_iv_and_decrypts_back() {
    String a = cipher.encrypt("+8613800138000");
    String b = cipher.encrypt("+8613800138000");
    assertThat(a).startsWith(cipher.keyId() + ":").doesNotContain("13800138000").isNotEqualTo(b);
    assertThat(cipher.decrypt(a)).isEqualTo("+8613800138000");
  }

  @Test
  void bytes_that_are_no_text_are_sealed_and_resealed_byte_for_byte() {
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i; // lone 0x80-0xFF bytes are not UTF-8: a detour through String would change them
    }
    String sealed = cipher.encryptBytes(binary);
    assertThat(cipher.decryptBytes(sealed)).isEqualTo(binary);
    String resealed = new PiiCipher(key(2), List.of(key(1))).reseal(sealed);
    assertThat(PiiCipher.keyIdOf(resealed)).isNotEqualTo(PiiCipher.keyIdOf(sealed));
    assertThat(new PiiCipher(key(2), List.of(key(1))).decryptBytes(resealed)).isEqualTo(binary);
  }

  @Test
  void a_tampered_ciphertext_or_an_unknown_key_is_refused() {
    String sealed = cipher.encrypt("alice@example.com");
    char last = sealed.charAt(sealed.length() - 1);
    String tampered = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PiiCipher(key(2)).decrypt(sealed)).hasMessageContaining("unknown key");
  }

  @Test
  void after_a_rotation_values_sealed_under_the_retired_key_still_decrypt() {
    String old = cipher.encrypt("alice@example.com");
    PiiCipher rotated = new PiiCipher(key(2), List.of(key(1)));
    assertThat(rotated.keyId()).isNotEqualTo(cipher.keyId());
    assertThat(rotated.decrypt(old)).isEqualTo("alice@example.com");
    assertThat(rotated.encrypt("x")).startsWith(rotated.keyId() + ":");
  }

  @Test
  void the_keyed_hash_is_stable_per_key_and_differs_between_keys() {
    assertThat(cipher.keyedHash("+8613800138000")).isEqualTo(new PiiCipher(key(1)).keyedHash("+8613800138000")).hasSize(43);
    assertThat(cipher.keyedHash("+8613800138000")).isNotEqualTo(new PiiCipher(key(2)).keyedHash("+8613800138000"));
  }

  @Test
  void masking_keeps_only_what_a_clerk_may_see() {
    assertThat(PiiCipher.mask("+8613800138000")).isEqualTo("138****8000");
    assertThat(PiiCipher.mask("13800138000")).isEqualTo("138****8000");
    assertThat(PiiCipher.mask("alice@example.com")).isEqualTo("a***@example.com");
    assertThat(PiiCipher.mask("+14155552671")).isEqualTo("********2671");
  }

  @Test
  void the_key_file_is_generated_once_owner_only_and_reused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("keys").resolve("pii.key");
    byte[] first = PiiKeys.keyFile(file).get(0);
    assertThat(PiiKeys.keyFile(file).get(0)).isEqualTo(first);
    assertThat(java.nio.file.Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void a_rotated_ring_reseals_old_values_under_the_new_key_and_recognises_old_hashes() {
    String old = cipher.encrypt("alice@example.com");
    PiiCipher rotated = cipher.rotatedTo(key(2));

    String resealed = rotated.reseal(old);

    assertThat(PiiCipher.keyIdOf(resealed)).isEqualTo(rotated.keyId()).isNotEqualTo(cipher.keyId());
    assertThat(rotated.reseal(resealed)).isSameAs(resealed);
    assertThat(new PiiCipher(key(2)).decrypt(resealed)).isEqualTo("alice@example.com");
    assertThat(rotated.keyIds()).containsExactly(rotated.keyId(), cipher.keyId());
    assertThat(rotated.keyedHashesUnderEveryKey("alice@example.com"))
        .containsExactly(rotated.keyedHash("alice@example.com"), cipher.keyedHash("alice@example.com"));
    assertThatThrownBy(() -> rotated.rotatedTo(key(1))).hasMessageContaining("already in the key ring");
  }

  @Test
  void a_value_under_a_key_missing_from_the_ring_names_the_key_and_the_setting() {
    String sealed = cipher.encrypt("+8613800138000");
    assertThatThrownBy(() -> new PiiCipher(key(2), List.of(key(3))).reseal(sealed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown key " + cipher.keyId())
        .hasMessageContaining("POND_PII_RETIRED_KEYS");
  }

  @Test
  void the_key_file_takes_a_new_current_key_on_top_of_the_retired_ones(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("keys").resolve("pii.key");
    byte[] first = PiiKeys.keyFile(file).get(0);

    PiiKeys.addCurrentKey(file, key(5), List.of(first));

    assertThat(PiiKeys.keyFile(file)).containsExactly(key(5), first);
    assertThat(java.nio.file.Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }
}
