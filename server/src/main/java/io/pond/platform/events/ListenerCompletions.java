package io.pond.platform.events;

import java.time.Clock;
import org.springframework.modulith.events.core.DefaultEventPublicationRegistry;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event publication registry (Spring Modulith's, see {@link EventRegistryWiring}) with a module
 * listener's completion recorded in the listener's own transaction: a listener's work and the removal
 * of its publication commit together, so a delivery is applied exactly once and costs one commit
 * instead of three.
 *
 * <p>Spring Modulith marks a publication <em>processing</em> and then <em>completed</em>, each in a
 * transaction of its own around the listener's. On the embedded store a commit writes every page
 * changed since the last one, whoever changed it, so these two small transactions per delivery were a
 * fifth of a bulk load's CPU (more than the listeners' own commits). Here:
 *
 * <ul>
 *   <li><b>processing</b> is not stored: a publication is open until it is completed or failed; one
 *       left open by a crash is delivered again at the next start ({@link RestartRedelivery}). Pond
 *       does not use Modulith's staleness monitor, the only reader of that state.
 *   <li><b>completed</b> joins the listener's transaction when the listener has one (a method with
 *       {@code @Transactional}, e.g. {@code @ApplicationModuleListener}); should that transaction
 *       then roll back (a failure at commit), the publication is marked failed afterwards, so
 *       {@link EventRetries} delivers it again. Elsewhere it commits on its own, as before.
 *   <li><b>failed</b> is stored after the listener's transaction has rolled back, in a transaction of
 *       its own: never while the listener's connection is still held.
 * </ul>
 */
class ListenerCompletions extends DefaultEventPublicationRegistry {

  private final EventPublicationRepository events;
  private final TransactionTemplate separately;

  ListenerCompletions(EventPublicationRepository events, Clock clock, PlatformTransactionManager transactions) {
    super(events, clock);
    this.events = events;
    this.separately = new TransactionTemplate(transactions);
    this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  @Override
  @Transactional(propagation = Propagation.SUPPORTS)
  public void markProcessing(Object event, PublicationTargetIdentifier listener) {
    // not stored: see the class comment
  }

  @Override
  @Transactional(propagation = Propagation.SUPPORTS)
  public void markCompleted(Object event, PublicationTargetIdentifier listener) {
    if (inTransactionOf(listener)) {
      super.markCompleted(event, listener);
      // the registry has forgotten the publication by now: it is found again by event and listener
      afterRollback(() -> separately.executeWithoutResult(status ->
          events.findIncompletePublicationsByEventAndTargetIdentifier(event, listener).ifPresent(p -> events.markFailed(p.getIdentifier()))));
    } else {
      separately.executeWithoutResult(status -> super.markCompleted(event, listener));
    }
  }

  @Override
  @Transactional(propagation = Propagation.SUPPORTS)
  public void markFailed(Object event, PublicationTargetIdentifier listener) {
    if (inTransactionOf(listener)) {
      afterRollback(() -> failSeparately(event, listener));
    } else {
      failSeparately(event, listener);
    }
  }

  private void failSeparately(Object event, PublicationTargetIdentifier listener) {
    separately.executeWithoutResult(status -> super.markFailed(event, listener));
  }

  /**
   * Whether the current transaction is the one the listener's method started: the transaction
   * interceptor names it after the method ({@code com.example.Listener.on}), Modulith identifies the
   * listener by the same name and its parameter types ({@code com.example.Listener.on(com.example.Event)}).
   * A listener without a transaction of its own (or one running in a committed publisher's
   * after-commit phase) does not match.
   */
  private static boolean inTransactionOf(PublicationTargetIdentifier listener) {
    if (!TransactionSynchronizationManager.isActualTransactionActive() || !TransactionSynchronizationManager.isSynchronizationActive()) {
      return false;
    }
    String name = TransactionSynchronizationManager.getCurrentTransactionName();
    return name != null && listener.getValue().startsWith(name + "(");
  }

  private static void afterRollback(Runnable action) {
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCompletion(int status) {
        if (status != STATUS_COMMITTED) {
          action.run();
        }
      }
    });
  }
}
