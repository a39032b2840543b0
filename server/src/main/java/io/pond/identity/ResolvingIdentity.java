package io.pond.identity;

import java.util.List;

/**
 * Resolves evidence to persons. Consumers of the event log and the order feed call this for each
 * message (or a batch of them, which is much faster: one transaction per batch).
 *
 * <p>Contract: evidence is applied in the order given; a piece of evidence whose idempotency key was
 * already resolved changes nothing and answers {@link Resolution.Outcome.Unchanged} with
 * {@code replay = true}; every change is stored (and {@link PersonsMerged} published) in the same
 * transaction, before the call returns. Resolving a known identifier reads no SQL.
 */
public interface ResolvingIdentity {

  Resolution resolve(Evidence evidence);

  /** Resolves a batch in one transaction; answers in the order of the batch. */
  List<Resolution> resolveAll(List<Evidence> batch);
}
