package io.pond.profile.person;

import io.pond.profile.ProfileChanged;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Publishes {@link ProfileChanged} in the transaction that stored the change, when anything changed. */
@Component
public class ProfileEvents {

  private final ApplicationEventPublisher events;
  private final Clock clock;

  ProfileEvents(ApplicationEventPublisher events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  public void changed(int person, Map<String, String> traits, Map<String, Long> metrics, Map<String, Boolean> consents) {
    boolean any = (traits != null && !traits.isEmpty()) || (metrics != null && !metrics.isEmpty())
        || (consents != null && !consents.isEmpty());
    if (any) {
      events.publishEvent(new ProfileChanged(person, traits, metrics, consents, clock.instant()));
    }
  }
}
