package io.pond.segment.model.domain;

import java.util.List;

/**
 * The rules of the model tags (configurable under {@code pond.segment.models}; defaults in
 * docs/segments.md).
 *
 * @param exposureEvents events that count as exposure for Aware; empty: any event
 * @param engagementEvents events that count as Interest (product view, favourite, add to cart…)
 * @param aiplWindowDays behaviour and orders older than this do not count for a stage
 * @param loyalOrders paid orders in the window that make a buyer Loyal
 * @param membersAreLoyal whether any tier (membership) makes a buyer Loyal
 * @param newDays a person first active within this many days is new
 * @param activeDays last active within this many days is active
 * @param churnDays last active longer ago than this is churned (between: silent)
 * @param rfmHighScore an R, F or M score (1–5, metrics {@code rfm_r/f/m}) at or above this is high
 */
public record ModelRules(
    List<String> exposureEvents,
    List<String> engagementEvents,
    int aiplWindowDays,
    int loyalOrders,
    boolean membersAreLoyal,
    int newDays,
    int activeDays,
    int churnDays,
    int rfmHighScore) {

  public ModelRules {
    exposureEvents = exposureEvents == null ? List.of() : List.copyOf(exposureEvents);
    engagementEvents = engagementEvents == null ? List.of() : List.copyOf(engagementEvents);
    if (aiplWindowDays < 1 || loyalOrders < 2 || newDays < 1 || activeDays < 1 || churnDays <= activeDays) {
      throw new IllegalArgumentException(
          "pond.segment.models: aipl-window-days and new-days and active-days must be at least 1, loyal-orders at "
              + "least 2, churn-days greater than active-days");
    }
    if (rfmHighScore < 1 || rfmHighScore > 5) {
      throw new IllegalArgumentException("pond.segment.models.rfm-high-score must be 1-5");
    }
  }

  public static ModelRules defaults() {
    return new ModelRules(
        List.of(),
        List.of("product_viewed", "product_favorited", "product_added", "view_item", "add_to_cart", "favorite"),
        365, 2, true, 30, 30, 180, 3);
  }
}
