package io.pond.identity;

import io.pond.platform.Identifier;
import java.util.List;

/**
 * Erasure of a data subject's personal identifiers (PII erasure, issue #5). Every identifier of the
 * person whose type holds personal data (phone, e-mail, …) loses its value: its encrypted value is
 * deleted and its match key (the keyed hash) is replaced by a tombstone naming the pseudonym, in the
 * identity map and in the evidence log, so that neither a lookup nor a full rebuild finds the person
 * by the old value again. The person, its other identifiers and its merges stay, so ledgers and
 * aggregates keep their owner. Audited; idempotent.
 */
public interface IdentifierErasure {

  /**
   * The identifiers {@link #erasePersonalIdentifiers} would erase now, values decrypted; a phone in
   * each spelling clients commonly use ({@code +8613…}, {@code 13…}, {@code 8613…}), for finding its raw
   * copies elsewhere (the event log).
   */
  List<Identifier> personalIdentifiersOf(PersonId person);

  /** @return how many identifiers were erased (0 when there was nothing left to erase) */
  int erasePersonalIdentifiers(PersonId person, String pseudonym, String actor);
}
