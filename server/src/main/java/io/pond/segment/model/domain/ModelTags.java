package io.pond.segment.model.domain;

import io.pond.segment.index.domain.PersonIndex;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * Model tags computed from the index: AIPL stage ({@code aipl:*}), lifecycle ({@code lifecycle:new |
 * active | silent | churned}) and RFM groups ({@code rfm:important_value} … {@code rfm:general_retain}).
 * Each person carries at most one tag of each family.
 */
public final class ModelTags {

  /** RFM groups by (R high, F high, M high), the eight cells of the classic RFM model. */
  public static final Map<String, boolean[]> RFM_GROUPS = rfmGroups();

  private ModelTags() {}

  private static Map<String, boolean[]> rfmGroups() {
    Map<String, boolean[]> groups = new LinkedHashMap<>();
    groups.put("important_value", new boolean[] {true, true, true}); // 重要价值
    groups.put("important_develop", new boolean[] {true, false, true}); // 重要发展
    groups.put("important_keep", new boolean[] {false, true, true}); // 重要保持
    groups.put("important_retain", new boolean[] {false, false, true}); // 重要挽留
    groups.put("general_value", new boolean[] {true, true, false}); // 一般价值
    groups.put("general_develop", new boolean[] {true, false, false}); // 一般发展
    groups.put("general_keep", new boolean[] {false, true, false}); // 一般保持
    groups.put("general_retain", new boolean[] {false, false, false}); // 一般挽留
    return groups;
  }

  /** Every model tag with its members. */
  public static Map<String, RoaringBitmap> compute(PersonIndex index, ModelRules rules, int today) {
    Map<String, RoaringBitmap> tags = new LinkedHashMap<>();
    aipl(index, rules, today).forEach((stage, members) -> tags.put(stage.tag(), members));
    tags.putAll(lifecycle(index, rules, today));
    tags.putAll(rfm(index, rules));
    return tags;
  }

  /** The stage of every person who reached one; a person is only in their highest stage. */
  public static Map<AiplStage, RoaringBitmap> aipl(PersonIndex index, ModelRules rules, int today) {
    int from = today - rules.aiplWindowDays() + 1;
    RoaringBitmap aware = rules.exposureEvents().isEmpty()
        ? index.did(PersonIndex.ANY_EVENT, 1, from, today)
        : anyOf(rules.exposureEvents(), e -> index.did(e, 1, from, today));
    RoaringBitmap interest = anyOf(rules.engagementEvents(), e -> index.did(e, 1, from, today));
    RoaringBitmap purchase = index.bought(PersonIndex.ANY_CATEGORY, 1, from, today);
    RoaringBitmap loyal = index.bought(PersonIndex.ANY_CATEGORY, rules.loyalOrders(), from, today);
    if (rules.membersAreLoyal()) {
      loyal.or(RoaringBitmap.and(purchase, index.members()));
    }
    Map<AiplStage, RoaringBitmap> stages = new EnumMap<>(AiplStage.class);
    RoaringBitmap higher = loyal.clone();
    stages.put(AiplStage.LOYAL, loyal);
    stages.put(AiplStage.PURCHASE, RoaringBitmap.andNot(purchase, higher));
    higher.or(purchase);
    stages.put(AiplStage.INTEREST, RoaringBitmap.andNot(interest, higher));
    higher.or(interest);
    stages.put(AiplStage.AWARE, RoaringBitmap.andNot(aware, higher));
    return stages;
  }

  public static Map<String, RoaringBitmap> lifecycle(PersonIndex index, ModelRules rules, int today) {
    Map<String, RoaringBitmap> tags = new LinkedHashMap<>();
    RoaringBitmap fresh = index.firstActiveSince(today - rules.newDays() + 1);
    RoaringBitmap active = RoaringBitmap.andNot(index.lastActiveWithin(today - rules.activeDays() + 1, null), fresh);
    RoaringBitmap silent = RoaringBitmap.andNot(
        index.lastActiveWithin(today - rules.churnDays() + 1, today - rules.activeDays()), fresh);
    RoaringBitmap churned = RoaringBitmap.andNot(index.lastActiveWithin(null, today - rules.churnDays()), fresh);
    tags.put("lifecycle:new", fresh);
    tags.put("lifecycle:active", active);
    tags.put("lifecycle:silent", silent);
    tags.put("lifecycle:churned", churned);
    return tags;
  }

  public static Map<String, RoaringBitmap> rfm(PersonIndex index, ModelRules rules) {
    long high = rules.rfmHighScore();
    RoaringBitmap rHigh = index.metricRange("rfm_r", high, null);
    RoaringBitmap fHigh = index.metricRange("rfm_f", high, null);
    RoaringBitmap mHigh = index.metricRange("rfm_m", high, null);
    RoaringBitmap scored = RoaringBitmap.and(
        RoaringBitmap.and(index.metricRange("rfm_r", null, null), index.metricRange("rfm_f", null, null)),
        index.metricRange("rfm_m", null, null));
    Map<String, RoaringBitmap> tags = new LinkedHashMap<>();
    RFM_GROUPS.forEach((group, cell) -> {
      RoaringBitmap members = scored.clone();
      members = cell[0] ? RoaringBitmap.and(members, rHigh) : RoaringBitmap.andNot(members, rHigh);
      members = cell[1] ? RoaringBitmap.and(members, fHigh) : RoaringBitmap.andNot(members, fHigh);
      members = cell[2] ? RoaringBitmap.and(members, mHigh) : RoaringBitmap.andNot(members, mHigh);
      tags.put("rfm:" + group, members);
    });
    return tags;
  }

  private static RoaringBitmap anyOf(List<String> keys, java.util.function.Function<String, RoaringBitmap> f) {
    List<RoaringBitmap> parts = new ArrayList<>();
    keys.forEach(k -> parts.add(f.apply(k)));
    return parts.isEmpty() ? new RoaringBitmap() : FastAggregation.or(parts.iterator());
  }
}
