package io.pond.identity.types.domain;

import static io.pond.identity.types.domain.ScopeKind.APPID;
import static io.pond.identity.types.domain.ScopeKind.APPKEY;
import static io.pond.identity.types.domain.ScopeKind.CORP;
import static io.pond.identity.types.domain.ScopeKind.GLOBAL;
import static io.pond.identity.types.domain.ScopeKind.SHOP;
import static io.pond.identity.types.domain.Strength.STRONG;
import static io.pond.identity.types.domain.Strength.WEAK;

import io.pond.platform.Identifier;
import java.util.List;

/**
 * The types Pond ships with (names from {@link Identifier}) and their default rules. Priorities:
 * cross-channel person ids first (unionid, member number, login id, phone, email), then channel buyer
 * ids, then browsers and devices. Strong channel ids allow one per person and scope; a person may hold
 * a few phones and e-mails; weak ids are limited per 30 days so that a shared device or a reset cookie
 * cannot pull many people together.
 */
public final class BuiltInTypes {

  private BuiltInTypes() {}

  public static final List<IdentifierType> ALL =
      List.of(
          type(Identifier.WECHAT_UNIONID, GLOBAL, STRONG, 100, 1, 0),
          type(Identifier.MEMBER_NO, GLOBAL, STRONG, 95, 1, 0),
          type(Identifier.LOGIN_ID, GLOBAL, STRONG, 90, 1, 0),
          pii(Identifier.PHONE, 85, 3, PiiKind.PHONE),
          pii(Identifier.EMAIL, 80, 3, PiiKind.EMAIL),
          type(Identifier.TAOBAO_OMID, GLOBAL, STRONG, 75, 1, 0),
          type(Identifier.WECHAT_OPENID, APPID, STRONG, 70, 1, 0),
          type(Identifier.WECOM_EXTERNAL_USERID, CORP, STRONG, 70, 1, 0),
          type(Identifier.TAOBAO_OUID, SHOP, STRONG, 65, 1, 0),
          type(Identifier.TAOBAO_OPEN_UID, APPKEY, STRONG, 65, 1, 0),
          type(Identifier.DOUDIAN_OPEN_ID, SHOP, STRONG, 65, 1, 0),
          type(Identifier.JD_OPEN_ID, GLOBAL, STRONG, 60, 1, 0),
          type(Identifier.YOUZAN_OPEN_ID, GLOBAL, STRONG, 60, 1, 0),
          type(Identifier.KUAISHOU_OPEN_ID, GLOBAL, STRONG, 60, 1, 0),
          type(Identifier.DEVICE_ID, GLOBAL, WEAK, 30, 10, 30),
          type(Identifier.COOKIE_ID, GLOBAL, WEAK, 20, 20, 30),
          type(Identifier.ANONYMOUS_ID, GLOBAL, WEAK, 10, 20, 30));

  private static IdentifierType type(
      String name, ScopeKind scope, Strength strength, int priority, int max, int windowDays) {
    return new IdentifierType(name, scope, strength, priority, max, windowDays, List.of(), PiiKind.NONE, 1, true);
  }

  private static IdentifierType pii(String name, int priority, int max, PiiKind kind) {
    return new IdentifierType(name, GLOBAL, STRONG, priority, max, 0, List.of(), kind, 1, true);
  }
}
