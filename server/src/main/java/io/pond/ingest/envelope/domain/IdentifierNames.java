package io.pond.ingest.envelope.domain;

import io.pond.platform.Identifier;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where the identifier names of each protocol become Pond's identifier types
 * ({@link Identifier}): Segment fields and {@code context.externalIds} types, Sensors Data
 * ID-Mapping 3.0 {@code identities} keys.
 *
 * <p>A login id (Segment {@code userId}, Sensors login {@code distinct_id}, {@code $identity_login_id})
 * that is a mainland mobile number — many brands' apps and mini-programs sign members in by phone —
 * is the person's {@code phone}: personal data, sealed at rest and matched by its keyed hash, and the
 * same identifier as that phone sent as a trait or by an order.
 */
public final class IdentifierNames {

  private IdentifierNames() {}

  /** Sensors {@code identities} keys with a fixed meaning. */
  private static final Map<String, String> SENSORS =
      Map.of(
          "$identity_login_id", Identifier.LOGIN_ID,
          "$identity_anonymous_id", Identifier.ANONYMOUS_ID,
          "$identity_cookie_id", Identifier.COOKIE_ID,
          "$identity_distinct_id", Identifier.ANONYMOUS_ID,
          "$identity_android_id", Identifier.DEVICE_ID,
          "$identity_android_uuid", Identifier.DEVICE_ID,
          "$identity_ios_uuid", Identifier.DEVICE_ID,
          "$identity_mobile", Identifier.PHONE,
          "$identity_email", Identifier.EMAIL,
          "$identity_mp_unionid", Identifier.WECHAT_UNIONID);

  /** {@code $identity_mp_openid} or {@code $identity_mp_<appid>_openid}. */
  private static final Pattern SENSORS_OPENID = Pattern.compile("\\$identity_mp(?:_([A-Za-z0-9]+))?_openid");

  /** A mainland China mobile number as login ids carry it: 11 digits from 13…19, optionally after +86, 0086 or 86. */
  private static final Pattern MAINLAND_MOBILE = Pattern.compile("(?:\\+86|0086|86)?1[3-9][0-9]{9}");

  /** A brand's own identity key (no {@code $}), usable as a registered identifier type. */
  private static final Pattern CUSTOM_KEY = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");

  /** Segment {@code context.externalIds[].type} names that differ from Pond's. */
  private static final Map<String, String> SEGMENT_EXTERNAL =
      Map.ofEntries(
          Map.entry("user_id", Identifier.LOGIN_ID),
          Map.entry("userid", Identifier.LOGIN_ID),
          Map.entry("anonymous_id", Identifier.ANONYMOUS_ID),
          Map.entry("anonymousid", Identifier.ANONYMOUS_ID),
          Map.entry("email", Identifier.EMAIL),
          Map.entry("phone", Identifier.PHONE),
          Map.entry("mobile", Identifier.PHONE),
          Map.entry("device_id", Identifier.DEVICE_ID),
          Map.entry("ios.idfa", Identifier.DEVICE_ID),
          Map.entry("android.id", Identifier.DEVICE_ID),
          Map.entry("unionid", Identifier.WECHAT_UNIONID),
          Map.entry("openid", Identifier.WECHAT_OPENID));

  /** Segment {@code anonymousId}. */
  public static Identifier segmentAnonymousId(String value) {
    return Identifier.global(Identifier.ANONYMOUS_ID, value);
  }

  /** Segment {@code userId} (and {@code previousId} of an alias when it names a user). */
  public static Identifier segmentUserId(String value) {
    return loginId(value);
  }

  /** A login id: {@code login_id}, or {@code phone} when it is a mainland mobile number. */
  public static Identifier loginId(String value) {
    boolean phone = value != null && value.length() >= 11 && value.length() <= 15 && MAINLAND_MOBILE.matcher(value).matches();
    return Identifier.global(phone ? Identifier.PHONE : Identifier.LOGIN_ID, value);
  }

  /**
   * A Segment {@code context.externalIds} entry: well-known type names map onto Pond's, others pass
   * through lower-cased (a brand registers them in the identity module); {@code collection} becomes
   * the scope only for scoped types (a WeChat openid's appid).
   */
  public static Identifier segmentExternalId(String type, String id, String collection) {
    String normalized = type.trim().toLowerCase(Locale.ROOT);
    String pond = SEGMENT_EXTERNAL.getOrDefault(normalized, normalized);
    if (Identifier.LOGIN_ID.equals(pond)) {
      return loginId(id);
    }
    String scope = Identifier.WECHAT_OPENID.equals(pond) ? collection : "";
    return new Identifier(pond, scope, id);
  }

  /**
   * A Sensors ID-Mapping 3.0 identity key, or empty when the key is not defined (a {@code $} key
   * Pond does not know, or a malformed one): such a record is refused as a whole.
   */
  public static Optional<Identifier> sensorsIdentity(String key, String value) {
    String known = SENSORS.get(key);
    if (Identifier.LOGIN_ID.equals(known)) {
      return Optional.of(loginId(value));
    }
    if (known != null) {
      return Optional.of(Identifier.global(known, value));
    }
    Matcher openid = SENSORS_OPENID.matcher(key);
    if (openid.matches()) {
      return Optional.of(Identifier.scoped(Identifier.WECHAT_OPENID, openid.group(1), value));
    }
    if (CUSTOM_KEY.matcher(key).matches()) {
      return Optional.of(Identifier.global(key.toLowerCase(Locale.ROOT), value));
    }
    return Optional.empty();
  }

  /** A Sensors {@code distinct_id} without {@code identities}: a login id when the SDK says so. */
  public static Identifier sensorsDistinctId(String value, boolean loginId) {
    return loginId ? loginId(value) : Identifier.global(Identifier.ANONYMOUS_ID, value);
  }
}
