package io.pond.platform.pii;

import io.pond.platform.config.InvalidSettingException;
import io.pond.platform.config.PondSettings;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PII key: {@code POND_PII_KEY} when set, otherwise a key generated once into
 * {@code <data dir>/keys/pii.key} (owner-only permissions) and read from there on every later start.
 */
@Configuration(proxyBeanMethods = false)
class PiiConfiguration {

  @Bean
  PiiCipher piiCipher(PondSettings settings) {
    byte[] key =
        settings.piiKey().map(k -> Base64.getDecoder().decode(k)).orElseGet(() -> keyFile(settings.piiKeyFile()));
    return new PiiCipher(key);
  }

  static byte[] keyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        byte[] fresh = new byte[PondSettings.PII_KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        try {
          try {
            // created owner-only from the start, so the key is never readable by others, not even briefly
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: the data dir's own permissions protect the key
          }
          Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
          // another process (a CLI job next to the server) wrote it first: use theirs
        }
      }
      byte[] key = Base64.getDecoder().decode(Files.readString(file).trim());
      if (key.length != PondSettings.PII_KEY_BYTES) {
        throw new InvalidSettingException(PondSettings.PII_KEY, file + " does not hold a 32-byte base64 key");
      }
      return key;
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidSettingException(PondSettings.PII_KEY, "cannot use key file " + file + " (" + e.getMessage() + ")");
    }
  }
}
