package io.pond.platform.events;

import java.time.Clock;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.modulith.events.core.EventPublicationRegistry;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.support.CompletionRegisteringAdvisor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.config.TransactionManagementConfigUtils;

/**
 * Puts {@link ListenerCompletions} in place of Spring Modulith's publication registry, and runs
 * Modulith's completion advice inside a listener's transaction instead of around it: the transaction
 * advisor is ordered just before the completion advisor (both are the last advice applied, so
 * {@code @Async} and method security still come first). Fails at start-up when Modulith's beans are not
 * where this expects them, so that an upgrade cannot silently bring back a commit per mark.
 */
@Configuration(proxyBeanMethods = false)
class EventRegistryWiring {

  @Bean
  static BeanFactoryPostProcessor listenerCompletionsInPlace() {
    return beans -> {
      BeanDefinitionRegistry registry = (BeanDefinitionRegistry) beans;
      String[] registries = beans.getBeanNamesForType(EventPublicationRegistry.class, true, false);
      String[] completions = beans.getBeanNamesForType(CompletionRegisteringAdvisor.class, true, false);
      if (registries.length != 1 || completions.length != 1
          || !registry.containsBeanDefinition(TransactionManagementConfigUtils.TRANSACTION_ADVISOR_BEAN_NAME)) {
        throw new IllegalStateException("expected one Spring Modulith publication registry, one completion advisor and"
            + " one transaction advisor; found registries " + String.join(",", registries) + " and completion advisors "
            + String.join(",", completions));
      }
      RootBeanDefinition replacement = new RootBeanDefinition(ListenerCompletions.class);
      replacement.setInstanceSupplier(() -> new ListenerCompletions(
          beans.getBean(EventPublicationRepository.class),
          beans.getBeanProvider(Clock.class).getIfAvailable(Clock::systemUTC),
          beans.getBean(PlatformTransactionManager.class)));
      replacement.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
      registry.removeBeanDefinition(registries[0]);
      registry.registerBeanDefinition(registries[0], replacement);

      beans.getBeanDefinition(TransactionManagementConfigUtils.TRANSACTION_ADVISOR_BEAN_NAME)
          .getPropertyValues().add("order", Ordered.LOWEST_PRECEDENCE - 1);
      beans.getBeanDefinition(completions[0]).getPropertyValues().add("order", Ordered.LOWEST_PRECEDENCE);
    };
  }
}
