package io.pond.commerce.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.commerce.channel.ChannelShops.ChannelShop;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.commerce.order.domain.RefundState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every channel adapter over the payload samples in {@code src/test/resources/channels/<channel>/}:
 * one row per message of a sample — what it must become (status, raw status, paid fen, first buyer
 * identifier type), or why it must be dead-lettered, or that it is skipped.
 */
class ChannelAdaptersTest {

  static final Map<Channel, ChannelAdapter> ADAPTERS =
      Map.of(
          Channel.TAOBAO, new TaobaoAdapter(),
          Channel.DOUDIAN, new DoudianAdapter(),
          Channel.YOUZAN, new YouzanAdapter(),
          Channel.KUAISHOU, new KuaishouAdapter(),
          Channel.WECHAT_SHOP, new WechatShopAdapter(),
          Channel.JD, new JdAdapter());

  static final Map<Channel, ChannelShop> SHOPS =
      Map.of(
          Channel.TAOBAO, shop(Channel.TAOBAO, "pond-flagship", "12345678"),
          Channel.DOUDIAN, shop(Channel.DOUDIAN, "77001", "dd-app-1"),
          Channel.YOUZAN, shop(Channel.YOUZAN, "55001", "yz-client-1"),
          Channel.KUAISHOU, shop(Channel.KUAISHOU, "88001", "ks-app-1"),
          Channel.WECHAT_SHOP, shop(Channel.WECHAT_SHOP, "gh_pond_shop", "wx1234567890"),
          Channel.JD, shop(Channel.JD, "10088", null));

  static ChannelShop shop(Channel channel, String shopId, String appKey) {
    return new ChannelShop(1, channel, shopId, "test shop", appKey, "shop-secret-123");
  }

  static String fixture(String channel, String file) {
    try (InputStream in = ChannelAdaptersTest.class.getResourceAsStream("/channels/" + channel + "/" + file)) {
      assertThat(in).as("fixture channels/%s/%s", channel, file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Mapped> map(String channel, String file) {
    Channel ch = Channel.fromWire(channel).orElseThrow();
    return ADAPTERS.get(ch).map(SHOPS.get(ch), fixture(channel, file));
  }

  @ParameterizedTest(name = "{0}/{1}#{2} → {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # channel  | fixture                        | # | outcome  | status            | raw status                     | paid  | buyer / reason
          taobao      | trade-create-with-lines.json   | 0 | accepted | CREATED           | WAIT_BUYER_PAY                 | 11800 | taobao_open_uid
          taobao      | trade-buyer-pay.json           | 0 | accepted | PAID              | WAIT_SELLER_SEND_GOODS         | 11800 | taobao_open_uid
          taobao      | trade-success.json             | 0 | accepted | COMPLETED         | TRADE_FINISHED                 | 11800 | -
          taobao      | refund-success.json            | 0 | accepted | -                 | -                              | -     | -
          taobao      | unknown-status.json            | 0 | rejected | -                 | -                              | -     | unknown Taobao order status 'WAIT_PRESALE_BALANCE'
          taobao      | malformed.json                 | 0 | rejected | -                 | -                              | -     | 'payment'
          doudian     | trade-paid-and-refund.json     | 0 | accepted | PAID              | 2                              | 9900  | doudian_open_id
          doudian     | trade-paid-and-refund.json     | 1 | accepted | -                 | -                              | -     | -
          doudian     | trade-create-numeric-tag.json  | 0 | accepted | CREATED           | 1                              | -     | -
          doudian     | unknown-status.json            | 0 | rejected | -                 | -                              | -     | unknown 抖店 order status '42'
          doudian     | other-shop.json                | 0 | rejected | -                 | -                              | -     | pushed to shop 77001
          youzan      | trade-paid.json                | 0 | accepted | PAID              | WAIT_SELLER_SEND_GOODS         | 9900  | youzan_open_id
          youzan      | trade-success.json             | 0 | accepted | COMPLETED         | TRADE_SUCCESS                  | 9900  | youzan_open_id
          youzan      | unknown-status.json            | 0 | rejected | -                 | -                              | -     | unknown Youzan order status 'WAIT_SELLER_PICK_UP'
          youzan      | test-push.json                 | 0 | skipped  | -                 | -                              | -     | -
          kuaishou    | pay-success.json               | 0 | accepted | PAID              | 30                             | 15800 | kuaishou_open_id
          kuaishou    | unknown-status.json            | 0 | rejected | -                 | -                              | -     | unknown Kuaishou order status '99'
          wechat_shop | order-pay.json                 | 0 | accepted | PAID              | channels_ec_order_pay          | -     | -
          wechat_shop | order-deliver-partial.json     | 0 | accepted | PARTIALLY_SHIPPED | channels_ec_order_deliver      | -     | -
          wechat_shop | unknown-event.json             | 0 | rejected | -                 | -                              | -     | unknown 微信小店 order event
          jd          | order-page.json                | 0 | accepted | PAID              | WAIT_SELLER_STOCK_OUT          | 23900 | jd_open_id
          jd          | order-page.json                | 1 | rejected | -                 | -                              | -     | unknown JD order status 'WAIT_DELIVERY_SORTING'
          """)
  void each_sample_maps_to_its_canonical_message_or_a_dead_letter_reason(
      String channel, String file, int index, String outcome, String status, String rawStatus, Long paid, String buyerOrReason) {
    List<Mapped> mapped = map(channel, file);
    Mapped m = mapped.get(index);
    switch (outcome) {
      case "accepted" -> {
        assertThat(m).as(m.toString()).isInstanceOf(Mapped.Accepted.class);
        OrderMessage msg = ((Mapped.Accepted) m).message();
        assertThat(msg.key().channel().wire()).isEqualTo(channel);
        assertThat(msg.key().shopId()).isEqualTo(SHOPS.get(msg.key().channel()).shopId());
        assertThat(msg.status() == null ? null : msg.status().name()).isEqualTo(status);
        assertThat(msg.rawStatus()).isEqualTo(rawStatus);
        assertThat(msg.paidFen()).isEqualTo(paid);
        assertThat(msg.rawPayload()).isNotBlank();
        if (buyerOrReason == null) {
          assertThat(msg.buyers()).isEmpty();
        } else {
          assertThat(msg.buyers()).isNotEmpty();
          assertThat(msg.buyers().getFirst().type()).isEqualTo(buyerOrReason);
        }
      }
      case "rejected" -> {
        assertThat(m).as(m.toString()).isInstanceOf(Mapped.Rejected.class);
        assertThat(((Mapped.Rejected) m).reason()).contains(buyerOrReason);
        assertThat(((Mapped.Rejected) m).payload()).isNotBlank();
      }
      case "skipped" -> assertThat(m).isInstanceOf(Mapped.Skipped.class);
      default -> throw new IllegalArgumentException(outcome);
    }
  }

  @Test
  void taobao_buyers_are_their_open_uid_scoped_by_the_appkey_and_never_the_nick_or_oaid() {
    OrderMessage m = ((Mapped.Accepted) map("taobao", "trade-buyer-pay.json").getFirst()).message();
    assertThat(m.buyers()).singleElement().satisfies(id -> {
      assertThat(id.scope()).isEqualTo("12345678");
      assertThat(id.value()).isEqualTo("AAHk5d-EAAeGwJedwSHFrtn2");
    });
    assertThat(m.times().paidAt()).isEqualTo(java.time.Instant.parse("2024-06-01T02:05:01Z")); // China time
  }

  @Test
  void taobao_lines_and_refunds_are_mapped_in_fen() {
    OrderMessage created = ((Mapped.Accepted) map("taobao", "trade-create-with-lines.json").getFirst()).message();
    assertThat(created.lines()).singleElement().satisfies(l -> {
      assertThat(l.lineId()).isEqualTo("3705115058471208929");
      assertThat(l.quantity()).isEqualTo(2);
      assertThat(l.unitPriceFen()).isEqualTo(6900);
      assertThat(l.paidFen()).isEqualTo(11800);
    });
    assertThat(created.discountFen()).isEqualTo(2000);
    OrderMessage refund = ((Mapped.Accepted) map("taobao", "refund-success.json").getFirst()).message();
    assertThat(refund.refunds()).singleElement().satisfies(r -> {
      assertThat(r.state()).isEqualTo(RefundState.REFUNDED);
      assertThat(r.amountFen()).isEqualTo(5900);
      assertThat(r.lineId()).isEqualTo("3705115058471208929");
    });
  }

  @Test
  void doudian_refunds_name_their_after_sale_and_sku_order() {
    OrderMessage refund = ((Mapped.Accepted) map("doudian", "trade-paid-and-refund.json").get(1)).message();
    assertThat(refund.key().platformOrderId()).isEqualTo("4987654321012345678");
    assertThat(refund.refunds()).singleElement().satisfies(r -> {
      assertThat(r.refundId()).isEqualTo("7100000000001");
      assertThat(r.lineId()).isEqualTo("4987654321012345679");
      assertThat(r.amountFen()).isEqualTo(4900);
    });
  }

  @Test
  void youzan_derives_the_discount_and_never_takes_the_buyer_phone() {
    OrderMessage m = ((Mapped.Accepted) map("youzan", "trade-paid.json").getFirst()).message();
    assertThat(m.discountFen()).isEqualTo(1000);
    assertThat(m.buyers()).extracting(io.pond.platform.Identifier::type).containsExactly("youzan_open_id");
  }

  @Test
  void every_status_table_maps_onto_canonical_statuses_only() {
    for (Map<String, OrderStatus> table :
        List.of(TaobaoAdapter.STATUSES, DoudianAdapter.STATUSES, YouzanAdapter.STATUSES, KuaishouAdapter.STATUSES,
            WechatShopAdapter.EVENTS, JdAdapter.STATUSES)) {
      assertThat(table).isNotEmpty().doesNotContainValue(null);
    }
    assertThat(TaobaoAdapter.STATUSES).containsEntry("TRADE_CLOSED_BY_TAOBAO", OrderStatus.CANCELLED)
        .containsEntry("SELLER_CONSIGNED_PART", OrderStatus.PARTIALLY_SHIPPED);
  }
}
