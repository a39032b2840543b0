package io.pond.platform.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Pond's own settings, read from {@code POND_*} variables (environment, system properties,
 * {@code application.yaml} or command-line {@code --POND_X=...}) and validated as a whole at start-up.
 * A bad value fails the start with an {@link InvalidSettingException} that names the variable.
 *
 * @param dataDir where embedded stores and logs live ({@code POND_DATA_DIR}, default {@code ./data})
 * @param port HTTP port ({@code POND_PORT}, default 8080)
 * @param database OLTP store: embedded H2 unless {@code POND_DB_URL} is set
 * @param timezone the brand's timezone for local dates ({@code POND_TIMEZONE}, default Asia/Shanghai)
 * @param adminPassword creates the {@code admin} user on an empty store ({@code POND_ADMIN_PASSWORD})
 * @param writeKey creates the first source with this write key on an empty store ({@code POND_WRITE_KEY})
 * @param logFormat console log format, {@code text} or {@code json} ({@code POND_LOG_FORMAT})
 * @param piiKey base64 of the 32-byte key that encrypts and hashes personal data ({@code POND_PII_KEY});
 *     when unset, a key file is generated once under the data dir ({@code keys/pii.key})
 */
public record PondSettings(
    Path dataDir,
    int port,
    Database database,
    ZoneId timezone,
    Optional<String> adminPassword,
    Optional<String> writeKey,
    LogFormat logFormat,
    Optional<String> piiKey) {

  public static final String DATA_DIR = "POND_DATA_DIR";
  public static final String PORT = "POND_PORT";
  public static final String DB_URL = "POND_DB_URL";
  public static final String DB_USER = "POND_DB_USER";
  public static final String DB_PASSWORD = "POND_DB_PASSWORD";
  public static final String TIMEZONE = "POND_TIMEZONE";
  public static final String ADMIN_PASSWORD = "POND_ADMIN_PASSWORD";
  public static final String WRITE_KEY = "POND_WRITE_KEY";
  public static final String LOG_FORMAT = "POND_LOG_FORMAT";
  public static final String PII_KEY = "POND_PII_KEY";
  public static final int PII_KEY_BYTES = 32;

  public static final int MIN_ADMIN_PASSWORD_LENGTH = 8;
  public static final int MIN_WRITE_KEY_LENGTH = 16;
  private static final Pattern KEY_CHARS = Pattern.compile("[A-Za-z0-9_\\-.]+");

  /** Where the OLTP store is; {@code embedded} means an H2 file under the data dir. */
  public record Database(String url, String user, String password, boolean embedded) {
    public String kind() {
      return url.startsWith("jdbc:h2:") ? "h2" : "postgresql";
    }
  }

  public enum LogFormat {
    TEXT,
    JSON
  }

  /** Reads and validates every setting; {@code lookup} returns null for an unset variable. */
  public static PondSettings from(Function<String, String> lookup) {
    Function<String, Optional<String>> get =
        name -> Optional.ofNullable(lookup.apply(name)).map(String::trim).filter(v -> !v.isEmpty());

    Path dataDir = dataDir(get.apply(DATA_DIR).orElse("./data"));
    int port = port(get.apply(PORT).orElse("8080"));
    Database database =
        database(dataDir, get.apply(DB_URL), get.apply(DB_USER), get.apply(DB_PASSWORD));
    ZoneId timezone = timezone(get.apply(TIMEZONE).orElse("Asia/Shanghai"));
    Optional<String> adminPassword = get.apply(ADMIN_PASSWORD);
    adminPassword.ifPresent(
        p -> {
          if (p.length() < MIN_ADMIN_PASSWORD_LENGTH) {
            throw new InvalidSettingException(
                ADMIN_PASSWORD, "must be at least " + MIN_ADMIN_PASSWORD_LENGTH + " characters long");
          }
        });
    Optional<String> writeKey = get.apply(WRITE_KEY);
    writeKey.ifPresent(
        k -> {
          if (k.length() < MIN_WRITE_KEY_LENGTH || !KEY_CHARS.matcher(k).matches()) {
            throw new InvalidSettingException(
                WRITE_KEY,
                "must be at least "
                    + MIN_WRITE_KEY_LENGTH
                    + " characters of letters, digits, '_', '-' or '.'");
          }
        });
    LogFormat logFormat = logFormat(get.apply(LOG_FORMAT).orElse("text"));
    Optional<String> piiKey = get.apply(PII_KEY);
    piiKey.ifPresent(PondSettings::checkPiiKey);
    return new PondSettings(dataDir, port, database, timezone, adminPassword, writeKey, logFormat, piiKey);
  }

  /** The DuckDB file that holds the event log and analytics tables. */
  public Path eventStoreFile() {
    return dataDir.resolve("events.duckdb");
  }

  /** Where the generated PII key lives when {@code POND_PII_KEY} is unset. */
  public Path piiKeyFile() {
    return dataDir.resolve("keys").resolve("pii.key");
  }

  public Path logFile() {
    return dataDir.resolve("logs").resolve("pond.log");
  }

  private static Path dataDir(String value) {
    Path path;
    try {
      path = Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new InvalidSettingException(DATA_DIR, "'" + value + "' is not a valid path");
    }
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new InvalidSettingException(DATA_DIR, path + " exists and is not a directory");
    }
    if (Files.exists(path) && !Files.isWritable(path)) {
      throw new InvalidSettingException(DATA_DIR, path + " is not writable");
    }
    return path;
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidSettingException(
        PORT, "'" + value + "' is not a port number (0-65535, 0 picks a free port)");
  }

  private static Database database(
      Path dataDir, Optional<String> url, Optional<String> user, Optional<String> password) {
    if (url.isEmpty()) {
      if (user.isPresent()) {
        throw new InvalidSettingException(DB_USER, "is set but " + DB_URL + " is not");
      }
      String h2 =
          "jdbc:h2:file:"
              + dataDir.resolve("oltp").resolve("pond")
              // WRITE_DELAY=0: a commit reaches the file before it is acknowledged, so a killed process loses
              // no acknowledged transaction (H2 otherwise writes committed changes up to a second later)
              + ";AUTO_SERVER=TRUE;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
      return new Database(h2, "sa", "", true);
    }
    String jdbc = url.get();
    if (jdbc.startsWith("postgresql://") || jdbc.startsWith("postgres://")) {
      throw new InvalidSettingException(
          DB_URL, "must be a JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/pond (was '" + jdbc + "')");
    }
    if (!jdbc.startsWith("jdbc:postgresql:") && !jdbc.startsWith("jdbc:h2:")) {
      throw new InvalidSettingException(
          DB_URL,
          "only PostgreSQL (jdbc:postgresql://host:port/db) or H2 (jdbc:h2:...) are supported (was '"
              + jdbc
              + "')");
    }
    return new Database(
        jdbc, user.orElse(jdbc.startsWith("jdbc:h2:") ? "sa" : "postgres"), password.orElse(""), false);
  }

  private static ZoneId timezone(String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new InvalidSettingException(
          TIMEZONE, "'" + value + "' is not a known time zone (e.g. Asia/Shanghai)");
    }
  }

  private static void checkPiiKey(String value) {
    byte[] key;
    try {
      key = java.util.Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(PII_KEY, "is not valid base64 (generate one with: openssl rand -base64 32)");
    }
    if (key.length != PII_KEY_BYTES) {
      throw new InvalidSettingException(
          PII_KEY, "must decode to " + PII_KEY_BYTES + " bytes, not " + key.length + " (openssl rand -base64 32)");
    }
  }

  private static LogFormat logFormat(String value) {
    try {
      return LogFormat.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(LOG_FORMAT, "'" + value + "' must be text or json");
    }
  }
}
