package io.pond.commerce.order.domain;

import java.util.Locale;
import java.util.Optional;

/** The sales channels Pond takes orders from. Tmall and Taobao share one channel: Tmall is a kind of shop. */
public enum Channel {
  TAOBAO,
  DOUDIAN,
  YOUZAN,
  KUAISHOU,
  WECHAT_SHOP,
  JD,
  NATIVE;

  /** The wire form used in URLs, files and events: {@code taobao}, {@code wechat_shop}, … */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts the wire form, upper case, {@code tmall} (as taobao) and {@code wechat-shop}/{@code pos} spellings. */
  public static Optional<Channel> fromWire(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    return switch (v) {
      case "tmall" -> Optional.of(TAOBAO);
      case "pos", "offline" -> Optional.of(NATIVE);
      case "douyin" -> Optional.of(DOUDIAN);
      default -> {
        for (Channel c : values()) {
          if (c.wire().equals(v)) {
            yield Optional.of(c);
          }
        }
        yield Optional.empty();
      }
    };
  }
}
