package io.pond.profile.timeline;

import io.pond.loyalty.PointsActivated;
import io.pond.loyalty.PointsChange;
import io.pond.loyalty.PointsChangeBatches;
import io.pond.loyalty.PointsClawedBack;
import io.pond.loyalty.PointsEarned;
import io.pond.loyalty.PointsExpired;
import io.pond.loyalty.PointsPosted;
import io.pond.loyalty.PointsRedeemed;
import io.pond.loyalty.TierChanged;
import java.util.List;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Loyalty's ledger events become timeline entries (spent and removed points as negative numbers). */
@Component
class PointsFeed {

  private final Points points;
  private final PointsChangeBatches batches;

  PointsFeed(Points points, PointsChangeBatches batches) {
    this.points = points;
    this.batches = batches;
  }

  /** A points event published on its own (a posting that no group commit combined). */
  @ApplicationModuleListener
  void on(PointsChange change) {
    points.recordAll(List.of(entry(change)));
  }

  /** A group commit's points events: all of them in this one transaction. */
  @ApplicationModuleListener
  void on(PointsPosted posted) {
    points.recordAll(batches.changes(posted.batchId()).stream().map(PointsFeed::entry).toList());
  }

  private static Points.Entry entry(PointsChange change) {
    int person = change.person().value();
    return switch (change) {
      case PointsEarned e ->
          new Points.Entry("earned:" + e.program() + ":" + e.entryId(), person, e.program(), "earned", e.points(),
              e.businessType() + " " + e.businessId() + (e.pending() ? " (pending)" : ""), e.at());
      case PointsActivated e ->
          new Points.Entry("activated:" + e.program() + ":" + e.entryId(), person, e.program(), "activated", e.points(), e.orderKey(), e.at());
      case PointsRedeemed e ->
          new Points.Entry("redeemed:" + e.program() + ":" + e.entryId(), person, e.program(), "redeemed", -e.points(), e.businessId(), e.at());
      case PointsClawedBack e ->
          new Points.Entry("clawed_back:" + e.program() + ":" + e.entryId(), person, e.program(), "clawed_back", -e.points(),
              e.orderKey() + (e.forgiven() > 0 ? " (" + e.forgiven() + " forgiven)" : ""), e.at());
      case PointsExpired e ->
          new Points.Entry("expired:" + e.program() + ":" + e.entryId(), person, e.program(), "expired", -e.points(), null, e.at());
    };
  }

  @ApplicationModuleListener
  void on(TierChanged e) {
    points.recordAll(List.of(new Points.Entry("tier:" + e.program() + ":" + e.person().value() + ":" + e.at() + ":" + e.toTier(),
        e.person().value(), e.program(), "tier", 0, e.fromTier() + " → " + e.toTier() + " (" + e.reason() + ")", e.at())));
  }
}
