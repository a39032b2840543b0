package io.pond.identity.types.domain;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules for one identifier type, as of one version.
 *
 * @param name snake_case type name, e.g. {@code wechat_openid}
 * @param scopeKind what the scope names; {@link ScopeKind#GLOBAL} types have no scope
 * @param strength strong or weak
 * @param priority higher wins: in one piece of evidence the highest-priority identifier anchors the
 *     person, lower ones are linked to it (or demoted when they would break a limit)
 * @param maxPerPerson how many identifiers of this type (and one scope) one person may hold
 * @param windowDays the limit counts identifiers attached in the last {@code windowDays} days; 0 = ever
 * @param junkPatterns extra regular expressions (full match, case-insensitive) for values that are
 *     never identifiers, on top of {@link JunkValues#COMMON}
 * @param pii whether values are personal data (phone, email)
 * @param version rule version, increased on every change
 * @param builtIn shipped with Pond (may be changed, not deleted)
 */
public record IdentifierType(
    String name,
    ScopeKind scopeKind,
    Strength strength,
    int priority,
    int maxPerPerson,
    int windowDays,
    List<String> junkPatterns,
    PiiKind pii,
    int version,
    boolean builtIn) {

  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{1,63}");
  public static final int MAX_PRIORITY = 1000;
  public static final int MAX_PER_PERSON = 10_000;

  public IdentifierType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(scopeKind, "scopeKind");
    Objects.requireNonNull(strength, "strength");
    Objects.requireNonNull(pii, "pii");
    junkPatterns = List.copyOf(junkPatterns);
  }

  public boolean strong() {
    return strength == Strength.STRONG;
  }

  public boolean scoped() {
    return scopeKind != ScopeKind.GLOBAL;
  }

  /** The reason the rules are unusable, or null when they are fine; names the field at fault first. */
  public static String problem(
      String name, int priority, int maxPerPerson, int windowDays, List<String> junkPatterns) {
    if (name == null || !NAME.matcher(name).matches()) {
      return "name: must be snake_case, 2-64 characters, starting with a letter";
    }
    if (priority < 0 || priority > MAX_PRIORITY) {
      return "priority: must be between 0 and " + MAX_PRIORITY;
    }
    if (maxPerPerson < 1 || maxPerPerson > MAX_PER_PERSON) {
      return "maxPerPerson: must be between 1 and " + MAX_PER_PERSON;
    }
    if (windowDays < 0 || windowDays > 36_500) {
      return "windowDays: must be between 0 (no window) and 36500";
    }
    for (String p : junkPatterns) {
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        return "junkPatterns: '" + p + "' is not a valid regular expression";
      }
    }
    return null;
  }
}
