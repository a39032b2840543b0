package io.pond.commerce.importing;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of the platforms' order exports (淘宝/天猫 订单报表, 抖店 订单导出, 京东, 有赞, 快手, 微信小店) and
 * of Pond's own CSV format, by the canonical field they hold. Headers are matched after trimming and
 * ignoring case, spaces and a trailing unit such as {@code (元)}.
 */
enum ExportColumns {
  ORDER_ID("订单编号", "订单号", "主订单编号", "订单ID", "订单id", "order_id", "orderid", "tid", "p_id"),
  LINE_ID("子订单编号", "子订单号", "子订单ID", "line_id", "oid", "s_id"),
  SHOP_ID("店铺ID", "店铺id", "店铺编号", "shop_id", "shop"),
  STATUS("订单状态", "交易状态", "状态", "status", "order_status"),
  PAID("买家实付金额", "实付金额", "买家实际支付金额", "支付金额", "订单实付金额", "订单应付金额", "实收款", "paid", "paid_fen_yuan",
      "payment"),
  DISCOUNT("优惠金额", "店铺优惠", "订单优惠金额", "商家优惠", "discount"),
  SHIPPING("运费", "买家应付邮费", "邮费", "运费金额", "shipping"),
  REFUNDED("退款金额", "退款总金额", "refunded"),
  TITLE("商品名称", "宝贝标题", "商品标题", "商品", "title"),
  SKU("商家编码", "商品编码", "SKU编码", "sku编码", "商家SKU编码", "外部系统编号", "sku"),
  CATEGORY("商品类目", "类目", "category"),
  QUANTITY("购买数量", "商品数量", "宝贝总数量", "宝贝数量", "数量", "quantity"),
  UNIT_PRICE("商品价格", "商品单价", "单价", "价格", "unit_price"),
  CREATED_AT("下单时间", "订单创建时间", "创建时间", "created_at"),
  PAID_AT("付款时间", "支付时间", "订单付款时间", "paid_at"),
  SHIPPED_AT("发货时间", "shipped_at"),
  COMPLETED_AT("完成时间", "确认收货时间", "交易成功时间", "completed_at"),
  MODIFIED_AT("修改时间", "更新时间", "modified_at"),
  BUYER_ID("买家open_uid", "buyer_open_uid", "买家OpenID", "openid", "open_id", "买家ID", "buyer_id"),
  MEMBER_PHONE("会员手机号", "member_phone");

  private final List<String> headers;

  ExportColumns(String... headers) {
    this.headers = List.of(headers);
  }

  static String normalize(String header) {
    String h = header.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).replace(" ", "");
    return h.replaceAll("[（(][元¥￥件]*[)）]$", "");
  }

  /** The column index of each field found in a header row; unknown headers are ignored. */
  static Map<ExportColumns, Integer> locate(List<String> header) {
    Map<ExportColumns, Integer> found = new EnumMap<>(ExportColumns.class);
    for (int i = 0; i < header.size(); i++) {
      String h = normalize(header.get(i));
      for (ExportColumns c : values()) {
        if (!found.containsKey(c) && c.headers.stream().anyMatch(x -> normalize(x).equals(h))) {
          found.put(c, i);
        }
      }
    }
    return found;
  }
}
