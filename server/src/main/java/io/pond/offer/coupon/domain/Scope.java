package io.pond.offer.coupon.domain;

import java.util.Set;

/**
 * Where a coupon may be used. An empty set does not restrict. Channel and shop restrict the order;
 * SKUs and categories pick the eligible lines — a line is eligible when its SKU or its category is
 * listed (either), or every line when neither is.
 */
public record Scope(Set<String> channels, Set<String> shops, Set<String> skus, Set<String> categories) {

  public static final Scope EVERYWHERE = new Scope(Set.of(), Set.of(), Set.of(), Set.of());

  public Scope {
    channels = channels == null ? Set.of() : Set.copyOf(channels);
    shops = shops == null ? Set.of() : Set.copyOf(shops);
    skus = skus == null ? Set.of() : Set.copyOf(skus);
    categories = categories == null ? Set.of() : Set.copyOf(categories);
  }

  public boolean admitsOrder(String channel, String shop) {
    return (channels.isEmpty() || channels.contains(channel)) && (shops.isEmpty() || shops.contains(shop));
  }

  public boolean covers(Cart.Line line) {
    if (skus.isEmpty() && categories.isEmpty()) {
      return true;
    }
    return skus.contains(line.sku()) || (line.category() != null && categories.contains(line.category()));
  }
}
