package io.pond.platform.pii;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The trait (and event property) names whose values are personal data: stored sealed, masked, erased.
 * One setting, {@code pond.profile.pii-traits}, read by the profile (traits) and by ingestion (events).
 */
public final class PersonalTraits {

  public static final String SETTING = "pond.profile.pii-traits";
  public static final List<String> DEFAULTS = List.of("name", "first_name", "last_name", "phone", "email", "address");

  private PersonalTraits() {}

  /** The names, trimmed and lower-cased ({@link #DEFAULTS} when the setting is absent). */
  public static List<String> normalized(List<String> names) {
    return (names == null ? DEFAULTS : names).stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
  }

  /** The setting's names, normalized. */
  public static Set<String> of(Environment environment) {
    return normalized(Binder.get(environment).bind(SETTING, Bindable.listOf(String.class)).orElse(null)).stream()
        .collect(Collectors.toUnmodifiableSet());
  }
}
