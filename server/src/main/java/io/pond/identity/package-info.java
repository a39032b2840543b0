/**
 * Identity (OneID): identifier types and their rules, the identity graph, resolution of evidence to
 * persons under over-merge guards, audited merges and splits, lookups and the full rebuild.
 * API: {@link io.pond.identity.ResolvingIdentity}, {@link io.pond.identity.Persons} and the events
 * {@link io.pond.identity.PersonsMerged} and {@link io.pond.identity.PersonSplit}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity (OneID)")
package io.pond.identity;
