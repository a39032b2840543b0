package io.pond.platform;

import java.util.Objects;

/**
 * A person's identifier on some channel: a type from the identity registry (snake_case, e.g.
 * {@code wechat_openid}), a scope where the type needs one (the appid of an openid, the shop of a
 * Taobao ouid; empty for global types) and the raw value. Ingestion, orders and membership carry
 * identifiers in this shape; the identity module resolves them to a person (OneID).
 *
 * <p>Built-in type names: {@code anonymous_id}, {@code login_id}, {@code cookie_id}, {@code device_id},
 * {@code phone}, {@code email}, {@code member_no}, {@code wechat_unionid}, {@code wechat_openid},
 * {@code wecom_external_userid}, {@code taobao_ouid}, {@code taobao_omid}, {@code taobao_open_uid},
 * {@code doudian_open_id}, {@code jd_open_id}, {@code youzan_open_id}, {@code kuaishou_open_id}.
 * Brands may register more.
 */
public record Identifier(String type, String scope, String value) {

  public static final String ANONYMOUS_ID = "anonymous_id";
  public static final String LOGIN_ID = "login_id";
  public static final String COOKIE_ID = "cookie_id";
  public static final String DEVICE_ID = "device_id";
  public static final String PHONE = "phone";
  public static final String EMAIL = "email";
  public static final String MEMBER_NO = "member_no";
  public static final String WECHAT_UNIONID = "wechat_unionid";
  public static final String WECHAT_OPENID = "wechat_openid";
  public static final String WECOM_EXTERNAL_USERID = "wecom_external_userid";
  public static final String TAOBAO_OUID = "taobao_ouid";
  public static final String TAOBAO_OMID = "taobao_omid";
  public static final String TAOBAO_OPEN_UID = "taobao_open_uid";
  public static final String DOUDIAN_OPEN_ID = "doudian_open_id";
  public static final String JD_OPEN_ID = "jd_open_id";
  public static final String YOUZAN_OPEN_ID = "youzan_open_id";
  public static final String KUAISHOU_OPEN_ID = "kuaishou_open_id";

  /** A null scope is stored as the empty string, so that (type, scope, value) compares and indexes simply. */
  public Identifier {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    scope = scope == null ? "" : scope;
  }

  public static Identifier global(String type, String value) {
    return new Identifier(type, "", value);
  }

  public static Identifier scoped(String type, String scope, String value) {
    return new Identifier(type, scope, value);
  }

  /** Whether the value is personal data (a phone or an e-mail): sealed at rest, masked for most callers. */
  public boolean personalData() {
    return PHONE.equals(type) || EMAIL.equals(type);
  }

  /** As callers without the right to see personal data are shown it: a personal value masked. */
  public Identifier masked() {
    return personalData() ? new Identifier(type, scope, io.pond.platform.pii.PiiCipher.mask(value)) : this;
  }
}
