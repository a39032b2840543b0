package io.pond.profile;

import java.util.List;

/**
 * Several profile changes stored in one transaction (a bulk recompute such as an imported order
 * chunk), published as one event instead of one {@link ProfileChanged} per person so that a bulk load
 * does not turn into thousands of publications and listener invocations. Listeners apply the changes
 * in order; a person may appear more than once.
 */
public record ProfilesChanged(List<ProfileChanged> changes) {

  public ProfilesChanged {
    changes = List.copyOf(changes);
  }
}
