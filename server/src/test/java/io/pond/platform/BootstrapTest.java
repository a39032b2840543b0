package io.pond.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.PondApplication;
import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.apikey.domain.KeyCheck;
import io.pond.platform.user.Users;
import io.pond.support.IsolatedStores;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/** POND_ADMIN_PASSWORD and POND_WRITE_KEY act on an empty store only. */
class BootstrapTest {

  private final String dataDir = IsolatedStores.newDataDir("bootstrap-" + UUID.randomUUID()).toString();
  private final String dbUrl =
      System.getenv("POND_DB_URL") == null
          ? null
          : IsolatedStores.newSchema(
              System.getenv("POND_DB_URL"), "postgres", "", "b_" + UUID.randomUUID().toString().substring(0, 8));

  private ConfigurableApplicationContext start(String... settings) {
    List<String> args = new ArrayList<>(List.of("--POND_DATA_DIR=" + dataDir));
    if (dbUrl != null) {
      args.add("--POND_DB_URL=" + dbUrl);
    }
    for (String s : settings) {
      args.add("--" + s);
    }
    SpringApplication app = new SpringApplication(PondApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    return app.run(args.toArray(String[]::new));
  }

  @Test
  void an_empty_store_gets_the_admin_and_the_first_source_and_later_starts_change_nothing() {
    try (var pond = start("POND_ADMIN_PASSWORD=first-password", "POND_WRITE_KEY=the_first_write_key_1")) {
      Users users = pond.getBean(Users.class);
      PasswordEncoder encoder = pond.getBean(PasswordEncoder.class);
      var admin = users.findCredentials("admin").orElseThrow();
      assertThat(admin.user().role().wire()).isEqualTo("admin");
      assertThat(encoder.matches("first-password", admin.passwordHash())).isTrue();
      assertThat(admin.passwordHash()).doesNotContain("first-password");

      ApiKeys keys = pond.getBean(ApiKeys.class);
      assertThat(keys.sources()).extracting(s -> s.name()).containsExactly("default");
      assertThat(keys.check("the_first_write_key_1")).isInstanceOf(KeyCheck.Valid.class);
    }

    try (var pond = start("POND_ADMIN_PASSWORD=second-password", "POND_WRITE_KEY=the_second_write_key_2")) {
      var admin = pond.getBean(Users.class).findCredentials("admin").orElseThrow();
      assertThat(pond.getBean(PasswordEncoder.class).matches("first-password", admin.passwordHash())).isTrue();
      assertThat(pond.getBean(Users.class).count()).isEqualTo(1);
      ApiKeys keys = pond.getBean(ApiKeys.class);
      assertThat(keys.check("the_second_write_key_2")).isInstanceOf(KeyCheck.Unknown.class);
      assertThat(keys.list()).hasSize(1);
    }
  }

  @Test
  void without_bootstrap_settings_the_store_stays_empty() {
    try (var pond = start()) {
      assertThat(pond.getBean(Users.class).count()).isZero();
      assertThat(pond.getBean(ApiKeys.class).sources()).isEmpty();
    }
  }
}
