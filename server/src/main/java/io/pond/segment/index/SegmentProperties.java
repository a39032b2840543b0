package io.pond.segment.index;

import io.pond.platform.security.SalesChannels;
import io.pond.segment.model.domain.ModelRules;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the segment module ({@code pond.segment.*}; see docs/segments.md).
 *
 * @param indexedProperties event properties whose values behaviour predicates may filter on
 * @param channels channel name → the identifier types whose holders are present on it
 * @param retentionDays behaviour and orders older than this are dropped from the index (the longest
 *     window an expression may ask for)
 * @param ruleRefresh how often rule tags and model tags are recomputed
 * @param attributionWait how long an event or order whose identifiers have no person yet is retried
 *     before it is left out (identity resolves them on its own thread)
 * @param models the rules of the AIPL, lifecycle and RFM model tags
 */
@ConfigurationProperties("pond.segment")
public record SegmentProperties(
    @DefaultValue({"category", "channel", "source", "campaign", "sku", "page"}) List<String> indexedProperties,
    Map<String, List<String>> channels,
    @DefaultValue("400") int retentionDays,
    @DefaultValue("5m") Duration ruleRefresh,
    @DefaultValue("30s") Duration attributionWait,
    @DefaultValue Models models) {

  public SegmentProperties {
    indexedProperties = List.copyOf(indexedProperties);
    channels = channels == null || channels.isEmpty() ? defaultChannels() : Map.copyOf(channels);
    if (retentionDays < 1) {
      throw new IllegalArgumentException("pond.segment.retention-days must be at least 1");
    }
    if (ruleRefresh.isNegative() || ruleRefresh.isZero()) {
      throw new IllegalArgumentException("pond.segment.rule-refresh must be positive");
    }
  }

  /** The sales channels of data scopes ({@link SalesChannels}), and the reach of phone, e-mail, app and member number. */
  static Map<String, List<String>> defaultChannels() {
    Map<String, List<String>> c = new LinkedHashMap<>(SalesChannels.all());
    c.put("sms", List.of("phone"));
    c.put("email", List.of("email"));
    c.put("app", List.of("login_id", "device_id"));
    c.put("member", List.of("member_no"));
    return c;
  }

  /** See {@link ModelRules} for each setting. */
  public record Models(
      @DefaultValue({}) List<String> exposureEvents,
      @DefaultValue({"product_viewed", "product_favorited", "product_added", "view_item", "add_to_cart", "favorite"})
          List<String> engagementEvents,
      @DefaultValue("365") int aiplWindowDays,
      @DefaultValue("2") int loyalOrders,
      @DefaultValue("true") boolean membersAreLoyal,
      @DefaultValue("30") int newDays,
      @DefaultValue("30") int activeDays,
      @DefaultValue("180") int churnDays,
      @DefaultValue("3") int rfmHighScore) {

    public ModelRules rules() {
      return new ModelRules(exposureEvents, engagementEvents, aiplWindowDays, loyalOrders, membersAreLoyal, newDays,
          activeDays, churnDays, rfmHighScore);
    }
  }
}
