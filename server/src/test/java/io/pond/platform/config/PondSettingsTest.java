package io.pond.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PondSettingsTest {

  @TempDir Path tmp;

  private static PondSettings settings(String... pairs) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put(pairs[i], pairs[i + 1]);
    }
    return PondSettings.from(values::get);
  }

  @Test
  void defaults_are_the_embedded_stores_on_port_8080_in_shanghai_time() {
    PondSettings s = settings();
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.timezone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(s.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    assertThat(s.database().embedded()).isTrue();
    assertThat(s.database().url()).startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath());
    assertThat(s.eventStoreFile()).isEqualTo(Path.of("data", "events.duckdb").toAbsolutePath());
    assertThat(s.adminPassword()).isEmpty();
    assertThat(s.logFormat()).isEqualTo(PondSettings.LogFormat.TEXT);
  }

  @Test
  void postgresql_is_used_when_a_db_url_is_given() {
    PondSettings s = settings("POND_DB_URL", "jdbc:postgresql://127.0.0.1:5432/pond", "POND_DB_USER", "pond");
    assertThat(s.database().embedded()).isFalse();
    assertThat(s.database().kind()).isEqualTo("postgresql");
    assertThat(s.database().user()).isEqualTo("pond");
  }

  @Test
  void a_relative_data_dir_becomes_absolute_and_blank_values_count_as_unset() {
    PondSettings s = settings("POND_DATA_DIR", "somewhere/else", "POND_PORT", "  ");
    assertThat(s.dataDir()).isEqualTo(Path.of("somewhere/else").toAbsolutePath());
    assertThat(s.port()).isEqualTo(8080);
  }

  @Test
  void each_bad_value_is_reported_with_the_name_of_its_setting() {
    assertInvalid("POND_PORT", "abc", "'abc' is not a port number");
    assertInvalid("POND_PORT", "70000", "not a port number");
    assertInvalid("POND_TIMEZONE", "Mars/Olympus", "'Mars/Olympus' is not a known time zone");
    assertInvalid("POND_DB_URL", "mysql://localhost/pond", "only PostgreSQL");
    assertInvalid("POND_DB_URL", "postgresql://localhost/pond", "must be a JDBC URL");
    assertInvalid("POND_ADMIN_PASSWORD", "short", "at least 8 characters");
    assertInvalid("POND_WRITE_KEY", "tooshort", "at least 16 characters");
    assertInvalid("POND_WRITE_KEY", "has spaces in the key!", "at least 16 characters");
    assertInvalid("POND_LOG_FORMAT", "xml", "must be text or json");
    assertInvalid("POND_PII_KEY", "not base64!", "is not valid base64");
    assertInvalid("POND_PII_KEY", "c2hvcnQ=", "must decode to 32 bytes, not 5");
  }

  @Test
  void a_db_user_without_a_db_url_is_refused() {
    assertThatThrownBy(() -> settings("POND_DB_USER", "pond"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("POND_DB_USER")
        .hasMessageContaining("POND_DB_URL is not");
  }

  @Test
  void a_data_dir_that_is_a_file_is_refused() throws Exception {
    Path file = Files.createFile(tmp.resolve("not-a-dir"));
    assertThatThrownBy(() -> settings("POND_DATA_DIR", file.toString()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("POND_DATA_DIR")
        .hasMessageContaining("is not a directory");
  }

  private static void assertInvalid(String setting, String value, String expected) {
    assertThatThrownBy(() -> settings(setting, value))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Invalid setting " + setting + ": ")
        .hasMessageContaining(expected)
        .extracting(e -> ((InvalidSettingException) e).setting())
        .isEqualTo(setting);
  }
}
