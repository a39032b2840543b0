package io.pond.platform.demo;

import io.pond.platform.Identifier;
import java.util.List;

/**
 * One person of the demo brand as the world knows them — the truth the channels only see parts of.
 * Each channel knows the person by its own id; a phone (where the person gave it), a WeChat unionid
 * or a web login is what lets OneID find that two channel ids are one person.
 *
 * @param index 0 … persons − 1
 * @param segment how much they buy
 * @param channels the sales channels they buy on, the first being their favourite
 * @param phone their mobile number in E.164, or null when no channel ever learns it
 * @param phoneOn the sales channels on which they gave their phone (a member binding, a POS member)
 * @param wechat whether they use the brand's mini-program (and so have an openid and a unionid)
 * @param web whether they visit the brand's web shop (an anonymous cookie id)
 * @param webLogin whether they sign in on the web shop with their phone
 */
public record DemoPerson(
    int index,
    Segment segment,
    List<String> channels,
    String phone,
    List<String> phoneOn,
    boolean wechat,
    boolean web,
    boolean webLogin,
    String city,
    String gender,
    int birthYear,
    String taobaoUid,
    String jdId,
    String doudianId,
    String openid,
    String unionid,
    String webAnonymousId,
    String memberNo) {

  /** How much a person buys over the two years. */
  public enum Segment {
    /** Browses (web or mini-program), never buys. */
    BROWSER,
    /** One order. */
    ONE_OFF,
    /** Two to five orders. */
    REGULAR,
    /** Six or more orders: the brand's best customers. */
    LOYAL
  }

  public boolean buys() {
    return segment != Segment.BROWSER;
  }

  public boolean gavePhoneOn(String channel) {
    return phone != null && phoneOn.contains(channel);
  }

  /** The person's buyer identifier on a sales channel, scoped as the channel's adapter scopes it. */
  public Identifier buyerOn(String channel) {
    return switch (channel) {
      case DemoWorld.TAOBAO -> Identifier.scoped(Identifier.TAOBAO_OPEN_UID, DemoWorld.TMALL_SHOP, taobaoUid);
      case DemoWorld.JD -> Identifier.scoped(Identifier.JD_OPEN_ID, DemoWorld.JD_SHOP, jdId);
      case DemoWorld.DOUDIAN -> Identifier.scoped(Identifier.DOUDIAN_OPEN_ID, DemoWorld.DOUYIN_SHOP, doudianId);
      case DemoWorld.WECHAT_SHOP -> Identifier.scoped(Identifier.WECHAT_OPENID, DemoWorld.WECHAT_APPID, openid);
      case DemoWorld.NATIVE -> Identifier.global(Identifier.MEMBER_NO, memberNo);
      default -> throw new IllegalArgumentException("not a demo sales channel: " + channel);
    };
  }

  public Identifier openidIdentifier() {
    return Identifier.scoped(Identifier.WECHAT_OPENID, DemoWorld.WECHAT_APPID, openid);
  }

  public Identifier unionidIdentifier() {
    return Identifier.global(Identifier.WECHAT_UNIONID, unionid);
  }

  public Identifier phoneIdentifier() {
    return phone == null ? null : Identifier.global(Identifier.PHONE, phone);
  }
}
