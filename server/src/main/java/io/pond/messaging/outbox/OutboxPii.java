package io.pond.messaging.outbox;

import io.pond.platform.pii.PiiStore;
import io.pond.platform.pii.SealedColumns;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox under a PII key rotation: recipients and bodies are re-sealed and the recipient's match
 * hash is recomputed from the sealed recipient (docs/pii.md).
 */
@Configuration(proxyBeanMethods = false)
class OutboxPii {

  @Bean
  PiiStore messageOutboxPii(JdbcTemplate jdbc, TransactionTemplate tx) {
    return new SealedColumns("message outbox", jdbc, tx, "message_outbox", List.of("id"),
        List.of("recipient_enc", "body_enc"), List.of(new SealedColumns.Hashed("recipient_hash", "recipient_enc")));
  }
}
