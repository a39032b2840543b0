package io.pond.loyalty.ledger;

import io.pond.loyalty.ledger.domain.Lots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PERF (PostgreSQL): the first available lots of recently posted accounts, in redemption order, as the
 * last combined batch that posted to them committed them, each tagged with the account's change
 * sequence at that commit. A batch that locks an account whose sequence is still the tagged one uses
 * the cached lots instead of reading them: every change of an account's lots (a posting, an import, an
 * activation, a merge) bumps the sequence in the same transaction, so an equal sequence means the lots
 * are as cached. Reading the first lots was, after the batch's write, the ledger's largest statement on
 * a busy ledger.
 *
 * <p>Bounded: at most {@code accounts} accounts (the least recently stored go first) and
 * {@code lotsPerAccount} lots each (a longer list is kept as its prefix), 24 bytes a lot.
 */
final class CachedLots {

  /**
   * An account's first available lots at change sequence {@code changeSeq}, as (id, remaining, expiry in
   * epoch microseconds or {@link Long#MIN_VALUE}) triples; {@code complete}: all of them.
   */
  record Snapshot(long changeSeq, long[] lots, boolean complete) {
    int size() {
      return lots.length / 3;
    }

    /** The lots, in redemption order, as a list the batch may change. */
    List<Lots.Balance> balances() {
      List<Lots.Balance> out = new ArrayList<>(size() + 4);
      for (int i = 0; i < lots.length; i += 3) {
        long micros = lots[i + 2];
        out.add(new Lots.Balance(lots[i], lots[i + 1], micros == Long.MIN_VALUE ? null : DeferredPostings.instant(micros)));
      }
      return out;
    }
  }

  private final int lotsPerAccount;
  private final Map<Long, Snapshot> byAccount;

  CachedLots(int accounts, int lotsPerAccount) {
    this.lotsPerAccount = lotsPerAccount;
    this.byAccount =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Snapshot> eldest) {
            return size() > accounts;
          }
        };
  }

  /** The cached lots of the account if they are its lots at {@code changeSeq}, else null. */
  synchronized Snapshot get(long accountId, long changeSeq) {
    Snapshot s = byAccount.get(accountId);
    return s != null && s.changeSeq() == changeSeq ? s : null;
  }

  /** Remembers the account's lots as committed at {@code changeSeq}: a prefix in redemption order, or all of them. */
  synchronized void put(long accountId, long changeSeq, List<Lots.Balance> lots, boolean complete) {
    boolean cut = lots.size() > lotsPerAccount;
    int n = cut ? lotsPerAccount : lots.size();
    long[] packed = new long[3 * n];
    for (int i = 0; i < n; i++) {
      Lots.Balance l = lots.get(i);
      packed[3 * i] = l.lotId();
      packed[3 * i + 1] = l.remaining();
      // the database keeps microseconds
      packed[3 * i + 2] = l.expiresAt() == null ? Long.MIN_VALUE : DeferredPostings.micros(l.expiresAt());
    }
    byAccount.remove(accountId); // stored again as the most recent
    byAccount.put(accountId, new Snapshot(changeSeq, packed, complete && !cut));
  }

  synchronized void remove(long accountId) {
    byAccount.remove(accountId);
  }
}
