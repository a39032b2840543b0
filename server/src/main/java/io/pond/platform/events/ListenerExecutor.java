package io.pond.platform.events;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The executor behind {@code @Async} and the modules' event listeners: a fixed number of threads
 * (by default half the database pool) and an unbounded queue. An unbounded thread-per-task executor
 * lets a bulk load start thousands of listeners at once, each waiting for one of the pool's
 * connections until it times out; with a bounded number of workers the rest wait in the queue, in
 * publication order, without holding anything, and the HTTP threads keep connections to work with.
 * Submitting never blocks, so a listener that publishes events cannot wait on itself.
 */
@Configuration(proxyBeanMethods = false)
class ListenerExecutor {

  @Bean(name = {"applicationTaskExecutor", "taskExecutor"})
  ThreadPoolTaskExecutor applicationTaskExecutor(
      @Value("${pond.events.listener-threads:0}") int configured,
      @Value("${spring.datasource.hikari.maximum-pool-size:16}") int poolSize) {
    int threads = configured > 0 ? configured : Math.max(2, poolSize / 2);
    return new ThreadPoolTaskExecutorBuilder()
        .corePoolSize(threads)
        .maxPoolSize(threads)
        .queueCapacity(Integer.MAX_VALUE)
        .threadNamePrefix("listener-")
        .awaitTermination(true)
        .awaitTerminationPeriod(java.time.Duration.ofSeconds(2))
        .build();
  }
}
