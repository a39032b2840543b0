package io.pond.loyalty.membership.domain;

import io.pond.platform.Identifier;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which OneID identifier a channel's member id is. A join carries the channel's own member id; this
 * names its identifier type (and so its scope rule: a Tmall {@code ouid} is per shop, a WeChat
 * {@code openid} per appid) so that identity can resolve it, next to the phone, to one person.
 */
public final class ChannelIdentities {

  private ChannelIdentities() {}

  private static final Map<String, String> BY_CHANNEL =
      Map.ofEntries(
          Map.entry("tmall", Identifier.TAOBAO_OUID),
          Map.entry("taobao", Identifier.TAOBAO_OUID),
          Map.entry("doudian", Identifier.DOUDIAN_OPEN_ID),
          Map.entry("wechat", Identifier.WECHAT_OPENID),
          Map.entry("mini_program", Identifier.WECHAT_OPENID),
          Map.entry("wecom", Identifier.WECOM_EXTERNAL_USERID),
          Map.entry("jd", Identifier.JD_OPEN_ID),
          Map.entry("youzan", Identifier.YOUZAN_OPEN_ID),
          Map.entry("kuaishou", Identifier.KUAISHOU_OPEN_ID));

  /** The identifier type of a channel's member id, unless the caller named one. */
  public static Optional<String> typeOf(String channel, String requestedType) {
    if (requestedType != null && !requestedType.isBlank()) {
      return Optional.of(requestedType);
    }
    return Optional.ofNullable(BY_CHANNEL.get(channel.toLowerCase(Locale.ROOT)));
  }

  /** The member id as an identifier: scoped by the shop (or appid) for per-shop types, global otherwise. */
  public static Identifier identifier(String type, String shop, String channelMemberId) {
    boolean scoped =
        type.equals(Identifier.TAOBAO_OUID)
            || type.equals(Identifier.DOUDIAN_OPEN_ID)
            || type.equals(Identifier.WECHAT_OPENID)
            || type.equals(Identifier.WECOM_EXTERNAL_USERID)
            || type.equals(Identifier.TAOBAO_OPEN_UID);
    return scoped ? Identifier.scoped(type, shop, channelMemberId) : Identifier.global(type, channelMemberId);
  }
}
