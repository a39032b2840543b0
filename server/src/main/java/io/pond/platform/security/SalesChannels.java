package io.pond.platform.security;

import io.pond.platform.Identifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sales channels a {@link DataScope} names, the other spellings of each, and the identifier types
 * that show a person is present on it.
 *
 * <p>Modules spell some channels differently (commerce files Tmall orders under {@code taobao}, loyalty
 * binds members on {@code tmall}; {@code douyin} is 抖店's {@code doudian}; a POS is {@code native},
 * {@code pos} or {@code offline}). A scope granted on one spelling covers the others, so that one grant
 * means the same thing in every module.
 *
 * <p>A person is visible to a scope when they hold an identifier of one of its channels' types: a
 * buyer on Tmall holds a Taobao ouid/omid, a member who joined in the mini-program a WeChat openid, a
 * POS member a member number.
 */
public final class SalesChannels {

  private SalesChannels() {}

  private static final List<Set<String>> SPELLINGS = List.of(
      Set.of("taobao", "tmall"),
      Set.of("doudian", "douyin"),
      Set.of("wechat", "mini_program"),
      Set.of("wechat_shop", "wechat-shop"),
      Set.of("native", "pos", "offline"));

  private static final Map<String, List<String>> IDENTIFIER_TYPES = identifierTypes();

  private static Map<String, List<String>> identifierTypes() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("taobao", List.of(Identifier.TAOBAO_OUID, Identifier.TAOBAO_OMID, Identifier.TAOBAO_OPEN_UID));
    m.put("doudian", List.of(Identifier.DOUDIAN_OPEN_ID));
    m.put("jd", List.of(Identifier.JD_OPEN_ID));
    m.put("youzan", List.of(Identifier.YOUZAN_OPEN_ID));
    m.put("kuaishou", List.of(Identifier.KUAISHOU_OPEN_ID));
    m.put("wechat", List.of(Identifier.WECHAT_UNIONID, Identifier.WECHAT_OPENID));
    m.put("wechat_shop", List.of(Identifier.WECHAT_UNIONID, Identifier.WECHAT_OPENID));
    m.put("wecom", List.of(Identifier.WECOM_EXTERNAL_USERID));
    m.put("native", List.of(Identifier.MEMBER_NO));
    return Collections.unmodifiableMap(m); // in this order wherever channels are listed
  }

  /** The channel and its other spellings ({@code tmall} → {@code taobao, tmall}); the channel alone if it has none. */
  public static Set<String> spellings(String channel) {
    for (Set<String> group : SPELLINGS) {
      if (group.contains(channel)) {
        return group;
      }
    }
    return Set.of(channel);
  }

  /** The identifier types whose holders are present on a channel (any spelling); empty for an unknown channel. */
  public static List<String> identifierTypes(String channel) {
    for (String spelling : spellings(channel)) {
      List<String> types = IDENTIFIER_TYPES.get(spelling);
      if (types != null) {
        return types;
      }
    }
    return List.of();
  }

  /** Every channel with its identifier types, by the spelling this class files it under. */
  public static Map<String, List<String>> all() {
    return IDENTIFIER_TYPES;
  }

  /**
   * The identifier types that make a person visible to a restricted scope, sorted; empty when no
   * channel of the scope has any (then no person is visible).
   *
   * @throws IllegalArgumentException for an unrestricted scope, which sees every person
   */
  public static Set<String> identifierTypes(DataScope scope) {
    Set<String> channels = scope.channels().orElseThrow(() -> new IllegalArgumentException("an unrestricted scope sees every person"));
    Set<String> types = new TreeSet<>();
    channels.forEach(c -> types.addAll(identifierTypes(c)));
    return types;
  }
}
