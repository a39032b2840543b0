package io.pond.profile.person;

import io.pond.profile.ProfileChanged;
import io.pond.profile.ProfilesChanged;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Publishes {@link ProfileChanged} in the transaction that stored the change, when anything changed;
 * inside {@link #together} the changes are gathered, stored as one batch and announced by one {@link
 * ProfilesChanged}.
 */
@Component
public class ProfileEvents {

  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final ThreadLocal<List<ProfileChanged>> gathering = new ThreadLocal<>();

  private final ChangeBatches batches;

  ProfileEvents(ApplicationEventPublisher events, Clock clock, ChangeBatches batches) {
    this.events = events;
    this.clock = clock;
    this.batches = batches;
  }

  public void changed(int person, Map<String, String> traits, Map<String, Long> metrics, Map<String, Boolean> consents) {
    boolean any = (traits != null && !traits.isEmpty()) || (metrics != null && !metrics.isEmpty())
        || (consents != null && !consents.isEmpty());
    if (!any) {
      return;
    }
    ProfileChanged change = new ProfileChanged(person, traits, metrics, consents, clock.instant());
    List<ProfileChanged> gathered = gathering.get();
    if (gathered != null) {
      gathered.add(change);
    } else {
      events.publishEvent(change);
    }
  }

  /**
   * Runs {@code work} (in the caller's transaction) and publishes the profile changes it made as one
   * event at its end: a single change as {@link ProfileChanged}, several as {@link ProfilesChanged}.
   * Nested calls join the outer one.
   */
  public void together(Runnable work) {
    if (gathering.get() != null) {
      work.run();
      return;
    }
    List<ProfileChanged> gathered = new ArrayList<>();
    gathering.set(gathered);
    try {
      work.run();
    } finally {
      gathering.remove();
    }
    if (gathered.size() == 1) {
      events.publishEvent(gathered.get(0));
    } else if (!gathered.isEmpty()) {
      events.publishEvent(new ProfilesChanged(batches.store(gathered), gathered.size(), clock.instant()));
    }
  }

  /** Deletes stored change batches past their retention; returns how many. */
  public int pruneBatches() {
    return batches.prune();
  }
}
