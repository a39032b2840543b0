package io.pond.profile.timeline;

import io.pond.loyalty.PointsActivated;
import io.pond.loyalty.PointsClawedBack;
import io.pond.loyalty.PointsEarned;
import io.pond.loyalty.PointsExpired;
import io.pond.loyalty.PointsRedeemed;
import io.pond.loyalty.TierChanged;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Loyalty's ledger events become timeline entries (spent and removed points as negative numbers). */
@Component
class PointsFeed {

  private final Points points;

  PointsFeed(Points points) {
    this.points = points;
  }

  @ApplicationModuleListener
  void on(PointsEarned e) {
    points.record("earned:" + e.program() + ":" + e.entryId(), e.person().value(), e.program(), "earned", e.points(),
        e.businessType() + " " + e.businessId() + (e.pending() ? " (pending)" : ""), e.at());
  }

  @ApplicationModuleListener
  void on(PointsActivated e) {
    points.record("activated:" + e.program() + ":" + e.entryId(), e.person().value(), e.program(), "activated", e.points(),
        e.orderKey(), e.at());
  }

  @ApplicationModuleListener
  void on(PointsRedeemed e) {
    points.record("redeemed:" + e.program() + ":" + e.entryId(), e.person().value(), e.program(), "redeemed", -e.points(),
        e.businessId(), e.at());
  }

  @ApplicationModuleListener
  void on(PointsClawedBack e) {
    points.record("clawed_back:" + e.program() + ":" + e.entryId(), e.person().value(), e.program(), "clawed_back", -e.points(),
        e.orderKey() + (e.forgiven() > 0 ? " (" + e.forgiven() + " forgiven)" : ""), e.at());
  }

  @ApplicationModuleListener
  void on(PointsExpired e) {
    points.record("expired:" + e.program() + ":" + e.entryId(), e.person().value(), e.program(), "expired", -e.points(), null,
        e.at());
  }

  @ApplicationModuleListener
  void on(TierChanged e) {
    points.record("tier:" + e.program() + ":" + e.person().value() + ":" + e.at() + ":" + e.toTier(), e.person().value(),
        e.program(), "tier", 0, e.fromTier() + " → " + e.toTier() + " (" + e.reason() + ")", e.at());
  }
}
