package io.pond.offer.checkout;

import io.pond.offer.CouponRedeemed;
import io.pond.offer.coupon.Wallet;
import io.pond.offer.coupon.domain.Cart;
import io.pond.offer.coupon.domain.Coupon;
import io.pond.offer.coupon.domain.Discounts;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Coupons at a checkout: validate a cart (which coupons apply, what each gives, the best combination),
 * lock the chosen coupons to the checkout, redeem them on the order, release them when the checkout is
 * abandoned or the order cancelled, give them back on a refund when the template's policy says so.
 *
 * <p>Every call is idempotent. A lock is keyed by the caller's idempotency key: the same key with the
 * same request answers the first lock, with another request {@code idempotency_key_reused}. Redeem and
 * release are idempotent on the lock's state (redeeming a redeemed lock for the same order, or releasing
 * a released one, answers it again). A coupon moves ISSUED → LOCKED only by a conditional update, so
 * two checkouts can never both take it.
 */
@Component
public class Checkout {

  private final JdbcClient jdbc;
  private final Wallet wallet;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final Duration lockTimeout;

  Checkout(
      JdbcClient jdbc, Wallet wallet, PlatformTransactionManager transactions, ApplicationEventPublisher events, Clock clock,
      @Value("${pond.offer.lock-timeout:PT15M}") Duration lockTimeout) {
    this.jdbc = jdbc;
    this.wallet = wallet;
    this.transactions = new TransactionTemplate(transactions);
    this.events = events;
    this.clock = clock;
    this.lockTimeout = lockTimeout;
  }

  /** One coupon's verdict on a cart, on its own. */
  public record CouponCheck(
      String code, String template, String kind, boolean applicable, long goodsOffFen, long shippingOffFen, String giftSku, String reason,
      String message) {}

  /** A combination of coupons and what it does to the cart. */
  public record Selection(List<String> codes, long goodsFen, long goodsOffFen, long shippingFen, long shippingOffFen, long payableFen, List<String> gifts) {
    static Selection of(Discounts.Priced p) {
      return new Selection(
          p.applied().stream().map(a -> a.coupon().code()).toList(), p.goodsFen(), p.goodsOffFen(), p.shippingFen(), p.shippingOffFen(),
          p.payableFen(), p.applied().stream().map(Discounts.Applied::giftSku).filter(g -> g != null).toList());
    }
  }

  public record Evaluation(List<CouponCheck> coupons, Selection best) {}

  /**
   * Checks the person's usable coupons (or only {@code codes}) against the cart; {@code best} is the
   * combination that takes off most under the stacking rules.
   */
  public Evaluation validate(int personId, Cart cart, List<String> codes) {
    Instant now = clock.instant();
    List<Coupon> coupons;
    List<CouponCheck> checks = new ArrayList<>();
    if (codes == null || codes.isEmpty()) {
      coupons = wallet.usable(personId, now);
    } else {
      coupons = new ArrayList<>();
      for (String code : codes) {
        List<Wallet.Held> held = wallet.byCode(personId, code);
        if (held.isEmpty()) {
          checks.add(new CouponCheck(code, null, null, false, 0, 0, null, "unknown", "the person holds no coupon " + code));
        } else if (!held.get(0).status().equals("ISSUED")) {
          checks.add(new CouponCheck(code, held.get(0).coupon().template().code(), held.get(0).coupon().template().kind().name(), false, 0, 0,
              null, "unavailable", "coupon " + code + " is " + held.get(0).status().toLowerCase(java.util.Locale.ROOT)));
        } else {
          coupons.add(held.get(0).coupon());
        }
      }
    }
    for (Coupon c : coupons) {
      Discounts.Outcome alone = Discounts.apply(cart, List.of(c), now);
      checks.add(
          switch (alone) {
            case Discounts.Priced p -> {
              Discounts.Applied a = p.applied().get(0);
              yield new CouponCheck(c.code(), c.template().code(), c.template().kind().name(), true, a.goodsOffFen(), a.shippingOffFen(), a.giftSku(), null, null);
            }
            case Discounts.Rejected r ->
                new CouponCheck(c.code(), c.template().code(), c.template().kind().name(), false, 0, 0, null, r.refusal().reason(), r.refusal().message());
          });
    }
    return new Evaluation(checks, Selection.of(Discounts.best(cart, coupons, now)));
  }

  /** A checkout's hold on coupons. {@code status}: LOCKED, REDEEMED, RELEASED or EXPIRED. */
  public record LockView(
      long id, String idempotencyKey, int personId, String channel, String shop, String orderId, String status, long goodsFen, long goodsOffFen,
      long shippingFen, long shippingOffFen, long payableFen, Instant expiresAt, List<LockedCoupon> coupons, boolean replayed) {}

  public record LockedCoupon(String code, String template, String kind, long goodsOffFen, long shippingOffFen) {}

  /** Locks {@code codes} of the person to a checkout of {@code cart}; all of them or none. */
  public LockView lock(String idempotencyKey, int personId, Cart cart, List<String> codes, String orderId) {
    if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
      throw PondException.invalid("idempotencyKey", "give an idempotency key of 1-200 characters (body or Idempotency-Key header)");
    }
    if (codes == null || codes.isEmpty()) {
      throw PondException.invalid("codes", "name at least one coupon code");
    }
    String hash = hash(personId, cart, codes, orderId);
    Optional<LockView> replay = replay(idempotencyKey, hash);
    if (replay.isPresent()) {
      return replay.get();
    }
    Instant now = clock.instant();
    List<Coupon> coupons = new ArrayList<>();
    for (int i = 0; i < codes.size(); i++) {
      List<Wallet.Held> held = wallet.byCode(personId, codes.get(i));
      if (held.isEmpty()) {
        throw new PondException(ErrorCode.NOT_FOUND, "person " + personId + " holds no coupon " + codes.get(i), "codes[" + i + "]");
      }
      coupons.add(held.get(0).coupon());
    }
    Discounts.Priced priced =
        switch (Discounts.apply(cart, coupons, now)) {
          case Discounts.Priced p -> p;
          case Discounts.Rejected r ->
              throw new PondException(
                  ErrorCode.COUPON_NOT_APPLICABLE, r.refusal().message() + " (" + r.refusal().reason() + ")",
                  r.coupon() == null ? "codes" : "codes[" + codes.indexOf(r.coupon().code()) + "]");
        };
    try {
      return transactions.execute(status -> {
        int inserted =
            jdbc.sql(
                    "INSERT INTO offer_lock (idempotency_key, request_hash, person_id, channel, shop, order_id, status, goods_fen, goods_off_fen,"
                        + " shipping_fen, shipping_off_fen, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 'LOCKED', ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")
                .params(
                    idempotencyKey, hash, personId, cart.channel(), cart.shop(), orderId, priced.goodsFen(), priced.goodsOffFen(), priced.shippingFen(),
                    priced.shippingOffFen(), Timestamp.from(now), Timestamp.from(now.plus(lockTimeout)))
                .update();
        if (inserted == 0) {
          return null; // the same key won a race; answered below
        }
        long lockId = jdbc.sql("SELECT id FROM offer_lock WHERE idempotency_key = ?").param(idempotencyKey).query(Long.class).single();
        int position = 0;
        for (Discounts.Applied a : priced.applied()) {
          Coupon c = a.coupon();
          int taken = jdbc.sql("UPDATE offer_coupon SET status = 'LOCKED', lock_id = ? WHERE id = ? AND status = 'ISSUED'").params(lockId, c.id()).update();
          if (taken != 1) {
            status.setRollbackOnly();
            throw new PondException(ErrorCode.COUPON_UNAVAILABLE, "coupon " + c.code() + " is already locked or used", "codes[" + codes.indexOf(c.code()) + "]");
          }
          jdbc.sql("INSERT INTO offer_lock_coupon (lock_id, coupon_id, position, goods_off_fen, shipping_off_fen) VALUES (?, ?, ?, ?, ?)")
              .params(lockId, c.id(), position++, a.goodsOffFen(), a.shippingOffFen())
              .update();
          history(c.id(), "LOCKED", "lock " + lockId, now);
        }
        return view(lockId, false);
      }) instanceof LockView v ? v : replay(idempotencyKey, hash).orElseThrow();
    } catch (ConcurrencyFailureException e) {
      throw new PondException(ErrorCode.COUPON_UNAVAILABLE, "a coupon is being locked by another checkout; try again", "codes");
    }
  }

  private Optional<LockView> replay(String idempotencyKey, String hash) {
    Optional<Object[]> existing =
        jdbc.sql("SELECT id, request_hash FROM offer_lock WHERE idempotency_key = ?")
            .param(idempotencyKey)
            .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)})
            .optional();
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    if (!existing.get()[1].equals(hash)) {
      throw new PondException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key " + idempotencyKey + " was used for another request", "idempotencyKey");
    }
    return Optional.of(view((Long) existing.get()[0], true));
  }

  public LockView get(long lockId) {
    return view(lockId, false);
  }

  /** Uses the locked coupons on the order ({@code orderId}, or the one given at lock time). */
  public LockView redeem(long lockId, String orderId) {
    return transactions.execute(status -> {
      LockRow lock = lockForUpdate(lockId);
      String order = orderId != null ? orderId : lock.orderId();
      if (order == null || order.isBlank()) {
        throw PondException.invalid("orderId", "name the order the coupons are used on");
      }
      if (lock.orderId() != null && !lock.orderId().equals(order)) {
        throw new PondException(ErrorCode.CONFLICT, "lock " + lockId + " belongs to order " + lock.orderId(), "orderId");
      }
      switch (lock.status()) {
        case "REDEEMED" -> {
          return view(lockId, true);
        }
        case "RELEASED", "EXPIRED" ->
            throw new PondException(ErrorCode.COUPON_UNAVAILABLE, "lock " + lockId + " was " + lock.status().toLowerCase(java.util.Locale.ROOT) + "; lock the coupons again", "lockId");
        default -> {}
      }
      Instant now = clock.instant();
      if (!lock.expiresAt().isAfter(now)) {
        releaseLocked(lockId, "EXPIRED", now);
        status.flush();
        throw new PondException(ErrorCode.COUPON_UNAVAILABLE, "lock " + lockId + " expired at " + lock.expiresAt() + "; its coupons were released", "lockId");
      }
      String orderKey = lock.channel() + "/" + lock.shop() + "/" + order;
      List<Object[]> parts =
          jdbc.sql("SELECT lc.coupon_id, lc.goods_off_fen, lc.shipping_off_fen, t.code, t.kind FROM offer_lock_coupon lc"
                  + " JOIN offer_coupon c ON c.id = lc.coupon_id JOIN offer_template t ON t.id = c.template_id WHERE lc.lock_id = ? ORDER BY lc.position")
              .param(lockId)
              .query((rs, n) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)})
              .list();
      for (Object[] p : parts) {
        long couponId = (Long) p[0];
        jdbc.sql("UPDATE offer_coupon SET status = 'REDEEMED', order_key = ?, discount_fen = ?, used_at = ? WHERE id = ? AND status = 'LOCKED' AND lock_id = ?")
            .params(orderKey, (Long) p[1] + (Long) p[2], Timestamp.from(now), couponId, lockId)
            .update();
        history(couponId, "REDEEMED", orderKey, now);
        events.publishEvent(new CouponRedeemed(couponId, (String) p[3], (String) p[4], lock.personId(), orderKey, (Long) p[1], (Long) p[2], now));
      }
      jdbc.sql("UPDATE offer_lock SET status = 'REDEEMED', order_id = ?, settled_at = ? WHERE id = ?").params(order, Timestamp.from(now), lockId).update();
      return view(lockId, false);
    });
  }

  /** Gives the locked coupons back (the checkout was abandoned); releasing twice is harmless. */
  public LockView release(long lockId) {
    return transactions.execute(status -> {
      LockRow lock = lockForUpdate(lockId);
      switch (lock.status()) {
        case "RELEASED", "EXPIRED" -> {
          return view(lockId, true);
        }
        case "REDEEMED" ->
            throw new PondException(ErrorCode.CONFLICT, "lock " + lockId + " was redeemed; a cancel or refund of its order gives coupons back", "lockId");
        default -> {}
      }
      releaseLocked(lockId, "RELEASED", clock.instant());
      return view(lockId, false);
    });
  }

  /** Releases every lock past its timeout; returns how many. */
  public int expireDue() {
    List<Long> due =
        jdbc.sql("SELECT id FROM offer_lock WHERE status = 'LOCKED' AND expires_at <= ?").param(Timestamp.from(clock.instant())).query(Long.class).list();
    int n = 0;
    for (long id : due) {
      n += transactions.execute(status -> {
        LockRow lock = lockForUpdate(id);
        if (!lock.status().equals("LOCKED")) {
          return 0;
        }
        releaseLocked(id, "EXPIRED", clock.instant());
        return 1;
      });
    }
    return n;
  }

  /**
   * The order was cancelled: locks on it are released; coupons redeemed on it come back, unless it had
   * been paid — then it counts as a full refund and each template's refund policy decides.
   */
  public int orderCancelled(String channel, String shop, String orderId, boolean wasPaid, long paidFen) {
    int n = 0;
    for (long id : jdbc.sql("SELECT id FROM offer_lock WHERE channel = ? AND shop = ? AND order_id = ? AND status = 'LOCKED'")
        .params(channel, shop, orderId).query(Long.class).list()) {
      n += release(id).replayed() ? 0 : 1;
    }
    return n + restore(channel, shop, orderId, wasPaid ? paidFen : 0, wasPaid ? paidFen : 0, !wasPaid);
  }

  /** Money of the order was refunded ({@code totalRefundedFen} so far): coupons come back as their templates' policies say. */
  public int orderRefunded(String channel, String shop, String orderId, long paidFen, long totalRefundedFen) {
    return restore(channel, shop, orderId, paidFen, totalRefundedFen, false);
  }

  private int restore(String channel, String shop, String orderId, long paidFen, long totalRefundedFen, boolean always) {
    return transactions.execute(status -> {
      Instant now = clock.instant();
      String orderKey = channel + "/" + shop + "/" + orderId;
      List<Object[]> redeemed =
          jdbc.sql("SELECT c.id, t.refund_policy, c.valid_until FROM offer_lock l JOIN offer_lock_coupon lc ON lc.lock_id = l.id"
                  + " JOIN offer_coupon c ON c.id = lc.coupon_id JOIN offer_template t ON t.id = c.template_id"
                  + " WHERE l.channel = ? AND l.shop = ? AND l.order_id = ? AND l.status = 'REDEEMED' AND c.order_key = ? AND c.status = 'REDEEMED'")
              .params(channel, shop, orderId, orderKey)
              .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()})
              .list();
      int n = 0;
      for (Object[] r : redeemed) {
        var policy = io.pond.offer.coupon.domain.CouponTemplate.RefundPolicy.valueOf((String) r[1]);
        if (always || policy.restores(paidFen, totalRefundedFen)) {
          n += jdbc.sql("UPDATE offer_coupon SET status = 'ISSUED', lock_id = NULL, order_key = NULL, discount_fen = NULL, used_at = NULL"
                      + " WHERE id = ? AND status = 'REDEEMED'")
              .param((Long) r[0])
              .update();
          history((Long) r[0], "RESTORED", orderKey + (always ? " cancelled" : " refunded " + totalRefundedFen + "/" + paidFen + " fen")
              + (((Instant) r[2]).isAfter(now) ? "" : "; its window had ended"), now);
        }
      }
      return n;
    });
  }

  private void releaseLocked(long lockId, String status, Instant now) {
    List<Long> coupons = jdbc.sql("SELECT coupon_id FROM offer_lock_coupon WHERE lock_id = ?").param(lockId).query(Long.class).list();
    for (long c : coupons) {
      jdbc.sql("UPDATE offer_coupon SET status = 'ISSUED', lock_id = NULL WHERE id = ? AND status = 'LOCKED' AND lock_id = ?").params(c, lockId).update();
      history(c, status, "lock " + lockId, now);
    }
    jdbc.sql("UPDATE offer_lock SET status = ?, settled_at = ? WHERE id = ?").params(status, Timestamp.from(now), lockId).update();
  }

  private record LockRow(long id, int personId, String channel, String shop, String orderId, String status, Instant expiresAt) {}

  private LockRow lockForUpdate(long lockId) {
    return jdbc.sql("SELECT id, person_id, channel, shop, order_id, status, expires_at FROM offer_lock WHERE id = ? FOR UPDATE")
        .param(lockId)
        .query((rs, n) -> new LockRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getTimestamp(7).toInstant()))
        .optional()
        .orElseThrow(() -> PondException.notFound("lock", lockId));
  }

  private LockView view(long lockId, boolean replayed) {
    List<LockedCoupon> coupons =
        jdbc.sql("SELECT c.code, t.code, t.kind, lc.goods_off_fen, lc.shipping_off_fen FROM offer_lock_coupon lc JOIN offer_coupon c ON c.id = lc.coupon_id"
                + " JOIN offer_template t ON t.id = c.template_id WHERE lc.lock_id = ? ORDER BY lc.position")
            .param(lockId)
            .query((rs, n) -> new LockedCoupon(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)))
            .list();
    return jdbc.sql("SELECT * FROM offer_lock WHERE id = ?")
        .param(lockId)
        .query((rs, n) -> {
          long goods = rs.getLong("goods_fen");
          long goodsOff = rs.getLong("goods_off_fen");
          long shipping = rs.getLong("shipping_fen");
          long shippingOff = rs.getLong("shipping_off_fen");
          return new LockView(
              rs.getLong("id"), rs.getString("idempotency_key"), rs.getInt("person_id"), rs.getString("channel"), rs.getString("shop"),
              rs.getString("order_id"), rs.getString("status"), goods, goodsOff, shipping, shippingOff, goods - goodsOff + shipping - shippingOff,
              rs.getTimestamp("expires_at").toInstant(), coupons, replayed);
        })
        .optional()
        .orElseThrow(() -> PondException.notFound("lock", lockId));
  }

  private void history(long couponId, String action, String detail, Instant at) {
    jdbc.sql("INSERT INTO offer_coupon_history (coupon_id, action, detail, at) VALUES (?, ?, ?, ?)")
        .params(couponId, action, detail.length() > 500 ? detail.substring(0, 500) : detail, Timestamp.from(at))
        .update();
  }

  private static String hash(int personId, Cart cart, List<String> codes, String orderId) {
    StringBuilder s = new StringBuilder().append(personId).append('|').append(cart.channel()).append('|').append(cart.shop()).append('|')
        .append(orderId).append('|').append(cart.shippingFen());
    for (Cart.Line l : cart.lines()) {
      s.append('|').append(l.sku()).append(',').append(l.category()).append(',').append(l.quantity()).append(',').append(l.unitPriceFen());
    }
    s.append('|').append(String.join(",", new TreeSet<>(codes)));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
