package io.pond.identity.graph;

import io.pond.identity.types.IdentifierTypes;
import io.pond.ingest.EventsByIdentifier;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.config.PondSettings;
import io.pond.platform.pii.PiiCipher;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(IdentityConfiguration.class);

  @Bean
  IdentifierTypes identifierTypes(JdbcClient jdbc, TransactionTemplate tx, Clock clock, PiiCipher cipher, AuditLog audit) {
    return new IdentifierTypes(jdbc, tx, clock, cipher, audit);
  }

  @Bean
  IdentityGraphService identityGraphService(
      DataSource dataSource, IdentifierTypes types, PiiCipher cipher, TransactionTemplate tx,
      ApplicationEventPublisher events, Clock clock, PondSettings settings,
      @Value("${pond.identity.max-identifiers-per-person:100}") int hardCap,
      @Value("${pond.identity.checkpoint-messages:10000}") long checkpointMessages) {
    return new IdentityGraphService(new GraphStore(dataSource), types, cipher, tx, events, clock, hardCap,
        settings.dataDir().resolve("identity"), checkpointMessages);
  }

  @Bean
  IdentityPiiStore identityPiiStore(IdentityGraphService graph, TransactionTemplate tx) {
    return new IdentityPiiStore(graph, tx);
  }

  @Bean
  PersonOperations personOperations(
      IdentityGraphService graph, AuditLog audit, TransactionTemplate tx, Clock clock, EventsByIdentifier events) {
    return new PersonOperations(graph, audit, tx, clock, events);
  }

  @Bean
  GraphRebuild graphRebuild(IdentityGraphService graph, TransactionTemplate tx, AuditLog audit, Clock clock) {
    return new GraphRebuild(graph, tx, audit, clock);
  }

  /**
   * The server loads the graph into memory as soon as it is up (CLI jobs load it only if they use it),
   * and looks every few seconds whether a CLI rebuild replaced it.
   */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService identityRefresher() {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "identity-refresh");
      t.setDaemon(true);
      return t;
    });
  }

  @EventListener
  void onReady(ApplicationReadyEvent event) {
    if (!(event.getApplicationContext() instanceof WebServerApplicationContext)) {
      return;
    }
    IdentityGraphService graph = event.getApplicationContext().getBean(IdentityGraphService.class);
    long started = System.nanoTime();
    graph.load();
    log.info("Identity graph loaded in {} ms", (System.nanoTime() - started) / 1_000_000);
    event.getApplicationContext().getBean("identityRefresher", ScheduledExecutorService.class)
        .scheduleWithFixedDelay(() -> {
          try {
            graph.refreshIfRebuilt();
          } catch (RuntimeException e) {
            log.warn("Could not check the identity graph generation: {}", e.getMessage());
          }
        }, 5, 5, TimeUnit.SECONDS);
  }
}
