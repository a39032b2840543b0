package io.pond.identity.types.domain;

import java.util.Locale;

/** What the scope of an identifier names: nothing (global), a WeChat appid, a WeCom corp, a shop, an app key. */
public enum ScopeKind {
  GLOBAL,
  APPID,
  CORP,
  SHOP,
  APPKEY;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ScopeKind fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
