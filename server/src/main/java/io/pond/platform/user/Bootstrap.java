package io.pond.platform.user;

import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.apikey.domain.KeyKind;
import io.pond.platform.config.PondSettings;
import io.pond.platform.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First start on an empty store: {@code POND_ADMIN_PASSWORD} creates the {@code admin} user and
 * {@code POND_WRITE_KEY} the first source ("default") with that write key. On a store that already
 * has users or sources, both settings are ignored, so changing them later changes nothing.
 */
@Component
@Order(0)
class Bootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
  static final String ACTOR = "bootstrap";

  private final PondSettings settings;
  private final Users users;
  private final ApiKeys keys;
  private final TransactionTemplate tx;

  Bootstrap(PondSettings settings, Users users, ApiKeys keys, TransactionTemplate tx) {
    this.settings = settings;
    this.users = users;
    this.keys = keys;
    this.tx = tx;
  }

  @Override
  public void run(ApplicationArguments args) {
    tx.executeWithoutResult(
        status -> {
          if (users.count() == 0) {
            settings
                .adminPassword()
                .ifPresentOrElse(
                    password -> {
                      users.create("admin", password, Role.ADMIN, ACTOR);
                      log.info("Created the admin user from {}", PondSettings.ADMIN_PASSWORD);
                    },
                    () ->
                        log.warn(
                            "No console user exists. Set {} to create 'admin', or create a server key with"
                                + " './pond keys create --kind server --name NAME'",
                            PondSettings.ADMIN_PASSWORD));
          }
          if (!keys.anySource()) {
            settings
                .writeKey()
                .ifPresent(
                    secret -> {
                      keys.createWithSecret(
                          new ApiKeys.NewKey(KeyKind.WRITE, "default", "default", null), secret, ACTOR);
                      log.info("Created source 'default' with the write key from {}", PondSettings.WRITE_KEY);
                    });
          }
        });
  }
}
