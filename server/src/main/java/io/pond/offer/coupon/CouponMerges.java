package io.pond.offer.coupon;

import io.pond.identity.PersonSplit;
import io.pond.identity.PersonsMerged;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Follows OneID (docs/offers.md, "Person merges and splits"):
 *
 * <ul>
 *   <li><b>Merge.</b> The merged person's coupons — whatever their status — and open checkout locks
 *       move to the survivor (settled locks stay as history), so the member sees and can use every coupon they held. A moved coupon
 *       keeps its code, status and validity; its number among the member's coupons of its template is
 *       cleared, so the survivor may now hold more coupons of a template than its per-member limit
 *       allows (they were all issued within it) and can claim no more until below it again. Each move is
 *       recorded with the merge.
 *   <li><b>Split.</b> Coupons the merge moved go back to the restored person, in whatever status they
 *       have now (a coupon used meanwhile stays used, by whoever used it).
 * </ul>
 *
 * Both are idempotent: a redelivered event finds nothing left to move.
 */
@Component
class CouponMerges {

  private static final Logger log = LoggerFactory.getLogger(CouponMerges.class);

  private final JdbcClient jdbc;
  private final Claims claims;

  CouponMerges(JdbcClient jdbc, Claims claims) {
    this.jdbc = jdbc;
    this.claims = claims;
  }

  @ApplicationModuleListener
  void on(PersonsMerged merged) {
    int from = merged.merged().value();
    int to = merged.survivor().value();
    if (from == to) {
      return;
    }
    List<Long> templates = templatesHeldBy(from);
    int moved = jdbc.sql("INSERT INTO offer_coupon_move (merge_id, coupon_id, from_person, from_seq)"
            + " SELECT ?, id, person_id, member_seq FROM offer_coupon WHERE person_id = ?")
        .params(merged.mergeId(), from)
        .update();
    jdbc.sql("UPDATE offer_coupon SET person_id = ?, member_seq = NULL WHERE person_id = ?").params(to, from).update();
    // open locks only: settled ones are history (and the index on status finds the open ones)
    jdbc.sql("UPDATE offer_lock SET person_id = ? WHERE status = 'LOCKED' AND person_id = ?").params(to, from).update();
    if (moved > 0) {
      log.info("Merge {}: {} coupons of person {} moved to {}", merged.mergeId(), moved, from, to);
      recount(templates);
    }
  }

  @ApplicationModuleListener
  void on(PersonSplit split) {
    int survivor = split.from().value();
    int restored = split.restored().value();
    List<Long> templates = jdbc.sql("SELECT DISTINCT c.template_id FROM offer_coupon c JOIN offer_coupon_move m ON m.coupon_id = c.id"
            + " WHERE m.merge_id = ? AND c.person_id = ?")
        .params(split.mergeId(), survivor)
        .query(Long.class)
        .list();
    int back = jdbc.sql("UPDATE offer_coupon SET person_id = ?, member_seq ="
            + " (SELECT m.from_seq FROM offer_coupon_move m WHERE m.merge_id = ? AND m.coupon_id = offer_coupon.id)"
            + " WHERE person_id = ? AND id IN (SELECT coupon_id FROM offer_coupon_move WHERE merge_id = ? AND from_person = ?)")
        .params(restored, split.mergeId(), survivor, split.mergeId(), restored)
        .update();
    if (back > 0) {
      log.info("Split of merge {}: {} coupons back to person {}", split.mergeId(), back, restored);
      recount(templates);
    }
  }

  private List<Long> templatesHeldBy(int person) {
    return jdbc.sql("SELECT DISTINCT template_id FROM offer_coupon WHERE person_id = ?").param(person).query(Long.class).list();
  }

  /** Per-member counts are kept in memory: re-read them once the move is committed. */
  private void recount(List<Long> templates) {
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        templates.forEach(claims::changed);
      }
    });
  }
}
