package io.pond.profile.trait.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which source may overwrite a trait (the named policy of trait writes). Sources are ranked, highest
 * first (default: {@code operator > member > crm_import > channel > event}):
 *
 * <ul>
 *   <li>a source ranked lower than the one that set the trait never overwrites (nor removes) it;
 *   <li>a higher-ranked source always does, whatever the times;
 *   <li>within one source, the newer observation wins; an older or equally old one changes nothing;
 *   <li>a removal is a write without a value, under the same rules.
 * </ul>
 *
 * The winner among any set of writes is therefore the one with the highest (rank, observation time),
 * first arrival breaking exact ties: the order writes arrive in does not matter, so folding a merged
 * history gives what applying the writes one by one gave.
 */
public final class TraitPrecedence {

  public static final Pattern SOURCE = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  private final List<String> sources;
  private final Map<String, Integer> rank = new HashMap<>();

  /** @param sources highest precedence first; lower-case names, no repeats */
  public TraitPrecedence(List<String> sources) {
    if (sources == null || sources.isEmpty()) {
      throw new IllegalArgumentException("name at least one trait source");
    }
    for (int i = 0; i < sources.size(); i++) {
      String s = sources.get(i);
      if (s == null || !SOURCE.matcher(s).matches()) {
        throw new IllegalArgumentException("'" + s + "' is not a source name (lower-case letters, digits, '_')");
      }
      if (rank.putIfAbsent(s, sources.size() - i) != null) {
        throw new IllegalArgumentException("source '" + s + "' is listed twice");
      }
    }
    this.sources = List.copyOf(sources);
  }

  public List<String> sources() {
    return sources;
  }

  public boolean knows(String source) {
    return rank.containsKey(source);
  }

  /** What a write does to the current state of its trait. */
  public sealed interface Decision {
    /** The write wins and becomes the trait's state. */
    record Applied(TraitState next) implements Decision {}

    /** The write loses, with why. */
    record Refused(String reason) implements Decision {}
  }

  public Decision decide(TraitState current, TraitWrite write) {
    if (!knows(write.source())) {
      return new Decision.Refused("unknown_source");
    }
    if (current == null) {
      // a removal is kept too: a lower source may not set what a higher one removed
      return new Decision.Applied(TraitState.of(write));
    }
    int now = rank.getOrDefault(current.source(), 0);
    int incoming = rank.get(write.source());
    if (incoming < now) {
      return new Decision.Refused("lower_precedence:" + current.source());
    }
    if (incoming == now && !write.observedAt().isAfter(current.observedAt())) {
      return new Decision.Refused("not_newer");
    }
    return new Decision.Applied(TraitState.of(write));
  }

  /** The state a sequence of writes leaves (in arrival order), e.g. a person's whole history. */
  public Map<String, TraitState> fold(List<TraitWrite> writes) {
    Map<String, TraitState> state = new HashMap<>();
    for (TraitWrite w : writes) {
      if (decide(state.get(w.name()), w) instanceof Decision.Applied a) {
        state.put(w.name(), a.next());
      }
    }
    return state;
  }

  /** The sources, highest first, for messages. */
  @Override
  public String toString() {
    return String.join(" > ", new ArrayList<>(sources));
  }
}
