package io.pond.commerce;

import java.util.Collection;

/**
 * Erasure of a data subject's contact data in orders (PII erasure, issue #5). For each order named,
 * the raw payload (which holds receiver names, phones and addresses) is replaced by a note naming the
 * pseudonym, and buyer identifiers that are personal data ({@code phone}, {@code email}) are removed.
 * Amounts, lines, statuses, times and refunds are kept, so aggregates and the points ledger stay whole.
 * Idempotent.
 */
public interface OrderContactErasure {

  /** @return how many of the orders were changed */
  int eraseContacts(Collection<Long> orderIds, String pseudonym);

  /**
   * Replaces by a note the payload of every order dead letter that holds one of the values (a refused
   * message keeps the raw payload, contact data included).
   *
   * @return how many dead letters were changed
   */
  int eraseDeadLetters(Collection<String> values, String pseudonym);
}
