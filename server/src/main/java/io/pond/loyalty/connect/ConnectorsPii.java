package io.pond.loyalty.connect;

import io.pond.platform.pii.PiiStore;
import io.pond.platform.pii.SealedColumns;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Connector secrets and access tokens (sealed with the PII cipher) under a PII key rotation (docs/pii.md). */
@Configuration(proxyBeanMethods = false)
class ConnectorsPii {

  @Bean
  PiiStore loyaltyConnectorsPii(JdbcTemplate jdbc, TransactionTemplate tx) {
    return new SealedColumns("loyalty connector secrets", jdbc, tx, "loyalty_connector", List.of("id"),
        List.of("secret", "access_token"), List.of());
  }
}
