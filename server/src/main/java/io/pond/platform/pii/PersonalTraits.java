package io.pond.platform.pii;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The trait (and event property) names whose values are personal data: stored sealed, masked, erased.
 * One setting, {@code pond.profile.pii-traits}, read by the profile (traits) and by ingestion (events).
 *
 * <p>Names are compared in one form: ASCII letters in lower case, without {@code _ - . $} or spaces,
 * so {@code first_name}, {@code firstName} (Segment's spec) and {@code First-Name} are one name. A name
 * starting with {@code *} matches every key ending with the rest ({@code *phone}: {@code receiver_phone},
 * {@code buyerPhone}; {@code *手机号}: {@code 收货人手机号}). Below the top level of an object (a nested
 * object, a list of objects), {@value #GENERIC} is not personal: there it names a thing (a product in
 * {@code products[]}, a store) far more often than a person.
 */
public final class PersonalTraits {

  public static final String SETTING = "pond.profile.pii-traits";

  public static final List<String> DEFAULTS = List.of(
      "name", "first_name", "last_name", "full_name", "real_name", "phone", "mobile", "tel", "telephone", "cellphone",
      "email", "address", "id_card", "id_number",
      "*phone", "*mobile", "*email", "*phone_number", "*email_address",
      "姓名", "真实姓名", "手机", "电话", "邮箱", "地址", "收货地址", "身份证", "身份证号",
      "*手机", "*手机号", "*手机号码", "*电话", "*邮箱", "*身份证号");

  /** The one name that is personal only at the top level. */
  static final String GENERIC = "name";

  private final Set<String> exact;
  private final List<String> suffixes;
  private final byte[][] exactBytes;
  private final byte[][] suffixBytes;

  private PersonalTraits(Collection<String> names) {
    Set<String> e = new LinkedHashSet<>();
    Set<String> s = new LinkedHashSet<>();
    for (String n : names) {
      String t = n.trim();
      if (t.startsWith("*")) {
        String k = key(t.substring(1));
        if (!k.isEmpty()) {
          s.add(k);
        }
      } else if (!key(t).isEmpty()) {
        e.add(key(t));
      }
    }
    this.exact = Set.copyOf(e);
    this.suffixes = List.copyOf(s);
    this.exactBytes = e.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    this.suffixBytes = s.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  /** The names given ({@link #DEFAULTS} when {@code null}). */
  public static PersonalTraits of(List<String> names) {
    return new PersonalTraits(names == null ? DEFAULTS : names);
  }

  /** The setting's names. */
  public static PersonalTraits of(Environment environment) {
    return of(Binder.get(environment).bind(SETTING, Bindable.listOf(String.class)).orElse(null));
  }

  /** The form names are compared in: ASCII lower case, without {@code _ - . $} or spaces. */
  public static String key(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!separator(c)) {
        out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
      }
    }
    return out.toString();
  }

  private static boolean separator(int c) {
    return c == '_' || c == '-' || c == '.' || c == '$' || c == ' ';
  }

  /** Whether a value under {@code name} at the top level of an object is personal. */
  public boolean matches(String name) {
    return matches(name, false);
  }

  /** @param nested whether the key is below the top level */
  public boolean matches(String name, boolean nested) {
    String k = key(name);
    if (exact.contains(k)) {
      return !nested || !GENERIC.equals(k);
    }
    for (String s : suffixes) {
      if (k.endsWith(s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link #matches(String, boolean)} of the UTF-8 bytes {@code b[from, from + n)} of a JSON key
   * without escapes. PERF: no allocation.
   */
  public boolean matches(byte[] b, int from, int n, boolean nested) {
    for (byte[] k : exactBytes) {
      if (endMatches(b, from, n, k) == from && (!nested || !isGeneric(k))) {
        return true;
      }
    }
    for (byte[] s : suffixBytes) {
      if (endMatches(b, from, n, s) >= from) {
        return true;
      }
    }
    return false;
  }

  private static boolean isGeneric(byte[] k) {
    return k.length == 4 && k[0] == 'n' && k[1] == 'a' && k[2] == 'm' && k[3] == 'e';
  }

  /**
   * Compares {@code key} with the end of {@code b[from, from + n)} in the compared form (separators
   * skipped, ASCII lowered), from the last byte back: the index where the match starts once separators
   * before it are skipped as well, or -1 when the end does not match.
   */
  private static int endMatches(byte[] b, int from, int n, byte[] key) {
    int i = from + n - 1;
    int j = key.length - 1;
    while (j >= 0) {
      while (i >= from && separator(b[i])) {
        i--;
      }
      if (i < from) {
        return -1;
      }
      byte c = b[i];
      if ((c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c) != key[j]) {
        return -1;
      }
      i--;
      j--;
    }
    while (i >= from && separator(b[i])) {
      i--;
    }
    return i + 1;
  }
}
