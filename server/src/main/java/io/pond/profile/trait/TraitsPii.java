package io.pond.profile.trait;

import io.pond.platform.pii.PiiStore;
import io.pond.platform.pii.SealedColumns;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Personal traits under a PII key rotation: current values and their history are re-sealed (docs/pii.md). */
@Configuration(proxyBeanMethods = false)
class TraitsPii {

  @Bean
  PiiStore profileTraitsPii(JdbcTemplate jdbc, TransactionTemplate tx) {
    return new SealedColumns("profile traits", jdbc, tx, "profile_trait", List.of("person_id", "name"),
        List.of("value_enc"), List.of());
  }

  @Bean
  PiiStore profileTraitHistoryPii(JdbcTemplate jdbc, TransactionTemplate tx) {
    return new SealedColumns("profile trait history", jdbc, tx, "profile_trait_change", List.of("id"),
        List.of("value_enc"), List.of());
  }
}
