package io.pond.commerce.channel;

import io.pond.commerce.order.domain.OrderLine;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** What the adapters share: turning a mapping failure into a dead-letter reason. */
final class Adapters {

  private Adapters() {}

  static Mapped attempt(String payload, Supplier<Mapped> mapping) {
    try {
      return mapping.get();
    } catch (Json.BadPayload | IllegalArgumentException e) {
      return new Mapped.Rejected(e.getMessage(), payload);
    }
  }

  static Mapped accepted(OrderMessage message) {
    return new Mapped.Accepted(message);
  }

  static OrderStatus status(Map<String, OrderStatus> table, String raw, String channel) {
    if (raw == null) {
      return null;
    }
    OrderStatus status = table.get(raw);
    if (status == null) {
      throw new Json.BadPayload("unknown " + channel + " order status '" + raw + "'");
    }
    return status;
  }

  /**
   * Lines in the shape most platforms share; {@code idField} etc. name the platform's fields. Prices
   * in yuan when {@code yuan}, else in fen. A line without an id gets its position.
   */
  static List<OrderLine> lines(
      JsonNode array, String idField, String skuField, String titleField, String qtyField, String priceField,
      String paidField, boolean yuan) {
    if (array == null || !array.isArray()) {
      return null;
    }
    List<OrderLine> out = new ArrayList<>();
    int position = 1;
    for (JsonNode line : array) {
      String id = Json.text(line, idField);
      Integer qty = Json.integer(line, qtyField);
      Long price = yuan ? Json.yuan(line, priceField) : Json.fen(line, priceField);
      Long paid = paidField == null ? null : yuan ? Json.yuan(line, paidField) : Json.fen(line, paidField);
      int quantity = qty == null ? 1 : qty;
      long unit = price == null ? 0 : price;
      out.add(new OrderLine(
          id == null ? String.valueOf(position) : id,
          Json.text(line, skuField),
          Json.text(line, titleField),
          Json.text(line, "category"),
          quantity,
          unit,
          paid == null ? quantity * unit : paid));
      position++;
    }
    return out;
  }
}
