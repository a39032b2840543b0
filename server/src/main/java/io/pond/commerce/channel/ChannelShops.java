package io.pond.commerce.channel;

import io.pond.commerce.order.domain.Channel;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-shop channel configuration: the shop's id on the platform, its app key (Youzan
 * {@code client_id}, 抖店 {@code app_key}, the Taobao appkey that scopes {@code buyer_open_uid}) and
 * the secret that signs its pushes. Secrets are needed in clear to check signatures, so they are
 * stored as given and never returned by the API.
 */
@Component
public class ChannelShops {

  /** One shop's configuration. */
  public record ChannelShop(long id, Channel channel, String shopId, String name, String appKey, String secret) {}

  private final JdbcClient jdbc;
  private final AuditLog audit;
  private final Clock clock;

  ChannelShops(JdbcClient jdbc, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.clock = clock;
  }

  /** Creates or replaces a shop's configuration. */
  @Transactional
  public ChannelShop save(Channel channel, String shopId, String name, String appKey, String secret, String actor) {
    if (secret == null || secret.length() < 8) {
      throw PondException.invalid("secret", "the shop's push secret is required (at least 8 characters)");
    }
    Timestamp now = Timestamp.from(clock.instant());
    Optional<ChannelShop> existing = find(channel, shopId);
    if (existing.isPresent()) {
      jdbc.sql("UPDATE commerce_channel_shop SET name = ?, app_key = ?, secret = ?, updated_at = ? WHERE id = ?")
          .params(name, appKey, secret, now, existing.get().id())
          .update();
      audit.record(actor, "channel_shop.updated", "channel_shop:" + channel.wire() + "/" + shopId, name);
    } else {
      jdbc.sql(
              "INSERT INTO commerce_channel_shop (channel, shop_id, name, app_key, secret, created_at, updated_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)")
          .params(channel.wire(), shopId, name, appKey, secret, now, now)
          .update();
      audit.record(actor, "channel_shop.created", "channel_shop:" + channel.wire() + "/" + shopId, name);
    }
    return find(channel, shopId).orElseThrow();
  }

  public Optional<ChannelShop> find(Channel channel, String shopId) {
    return jdbc.sql("SELECT id, channel, shop_id, name, app_key, secret FROM commerce_channel_shop WHERE channel = ? AND shop_id = ?")
        .params(channel.wire(), shopId)
        .query(ChannelShops::map)
        .optional();
  }

  public List<ChannelShop> list() {
    return jdbc.sql("SELECT id, channel, shop_id, name, app_key, secret FROM commerce_channel_shop ORDER BY channel, shop_id")
        .query(ChannelShops::map)
        .list();
  }

  @Transactional
  public void delete(Channel channel, String shopId, String actor) {
    int n = jdbc.sql("DELETE FROM commerce_channel_shop WHERE channel = ? AND shop_id = ?").params(channel.wire(), shopId).update();
    if (n == 0) {
      throw PondException.notFound("channel shop", channel.wire() + "/" + shopId);
    }
    audit.record(actor, "channel_shop.deleted", "channel_shop:" + channel.wire() + "/" + shopId, null);
  }

  private static ChannelShop map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new ChannelShop(
        rs.getLong("id"),
        Channel.fromWire(rs.getString("channel")).orElseThrow(),
        rs.getString("shop_id"),
        rs.getString("name"),
        rs.getString("app_key"),
        rs.getString("secret"));
  }
}
