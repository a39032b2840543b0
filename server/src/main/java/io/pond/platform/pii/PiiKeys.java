package io.pond.platform.pii;

import io.pond.platform.config.InvalidSettingException;
import io.pond.platform.config.PondSettings;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The PII key ring as configured: {@code POND_PII_KEY} (current) and {@code POND_PII_RETIRED_KEYS}
 * (comma-separated, decrypt only), or — when {@code POND_PII_KEY} is unset — the key file
 * {@code <data dir>/keys/pii.key}: one base64 key per line, the current key first, retired keys after.
 */
public final class PiiKeys {

  public static final String RETIRED_KEYS = "POND_PII_RETIRED_KEYS";

  private PiiKeys() {}

  /** The current key and the retired ones. */
  public record Ring(byte[] current, List<byte[]> retired, boolean fromFile) {
    public PiiCipher cipher() {
      return new PiiCipher(current, retired);
    }
  }

  /** @param retiredSetting the value of {@code POND_PII_RETIRED_KEYS}, or null */
  public static Ring load(PondSettings settings, String retiredSetting) {
    List<byte[]> retired = new ArrayList<>();
    if (retiredSetting != null && !retiredSetting.isBlank()) {
      for (String k : retiredSetting.split(",")) {
        if (!k.isBlank()) {
          retired.add(decode(RETIRED_KEYS, k.trim(), "a retired key"));
        }
      }
    }
    if (settings.piiKey().isPresent()) {
      return new Ring(Base64.getDecoder().decode(settings.piiKey().get()), retired, false);
    }
    List<byte[]> file = keyFile(settings.piiKeyFile());
    retired.addAll(0, file.subList(1, file.size()));
    return new Ring(file.get(0), retired, true);
  }

  /** Reads the key file, generating it (one fresh key, owner-only) the first time. */
  static List<byte[]> keyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] fresh = fresh();
        try {
          createOwnerOnly(file, List.of(fresh));
        } catch (FileAlreadyExistsException raced) {
          // another process (a CLI job next to the server) wrote it first: use theirs
        }
      }
      List<byte[]> keys = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          keys.add(decode(PondSettings.PII_KEY, line.trim(), file + " does not hold 32-byte base64 keys"));
        }
      }
      if (keys.isEmpty()) {
        throw new InvalidSettingException(PondSettings.PII_KEY, file + " holds no key");
      }
      return keys;
    } catch (IOException e) {
      throw new InvalidSettingException(PondSettings.PII_KEY, "cannot use key file " + file + " (" + e.getMessage() + ")");
    }
  }

  /**
   * Puts a new current key at the top of the key file, keeping the old keys below it as retired. The
   * file is replaced atomically, so a crash leaves either the old ring or the new one.
   */
  public static void addCurrentKey(Path file, byte[] key, List<byte[]> keep) throws IOException {
    List<byte[]> keys = new ArrayList<>();
    keys.add(key);
    keys.addAll(keep);
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.deleteIfExists(next);
    createOwnerOnly(next, keys);
    try {
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public static byte[] fresh() {
    byte[] key = new byte[PondSettings.PII_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** Reads a base64 key from a file (the new key of a rotation when keys come from the environment). */
  public static byte[] read(Path file) throws IOException {
    return decode("--new-key-file", Files.readString(file).trim(), file + " must hold one base64 key of 32 bytes");
  }

  private static void createOwnerOnly(Path file, List<byte[]> keys) throws IOException {
    Files.createDirectories(file.getParent());
    try {
      // created owner-only from the start, so a key is never readable by others, not even briefly
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system: the data dir's own permissions protect the key
    }
    StringBuilder text = new StringBuilder();
    for (byte[] k : keys) {
      text.append(Base64.getEncoder().encodeToString(k)).append('\n');
    }
    Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static byte[] decode(String setting, String base64, String what) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(setting, what + ": not valid base64");
    }
    if (key.length != PondSettings.PII_KEY_BYTES) {
      throw new InvalidSettingException(setting, what + ": must decode to " + PondSettings.PII_KEY_BYTES + " bytes");
    }
    return key;
  }
}
