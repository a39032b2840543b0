package io.pond.profile.merge;

import io.pond.identity.PersonSplit;
import io.pond.identity.PersonsMerged;
import io.pond.profile.consent.Consents;
import io.pond.profile.consent.domain.ConsentDecision;
import io.pond.profile.consent.domain.Purpose;
import io.pond.profile.metrics.Metrics;
import io.pond.profile.person.PersonLocks;
import io.pond.profile.person.ProfileEvents;
import io.pond.profile.timeline.Points;
import io.pond.profile.trait.Traits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Profiles follow OneID.
 *
 * <ul>
 *   <li><b>Merge</b>: the merged person's trait and consent history, orders and points entries move to
 *       the survivor; the survivor's traits and consents are folded again from the joined history (so
 *       source precedence and "latest decision wins" decide, as if the writes had come to one person);
 *       metrics are recomputed. The merged person's profile is published as removed.
 *   <li><b>Split</b>: history rows first written for the restored person, and its points entries, go
 *       back to it; each order of the survivor is attributed again by its buyer identifiers (orders
 *       whose buyers now resolve to the restored person move); both are folded and recomputed.
 * </ul>
 */
@Component
class ProfileMerges {

  private final JdbcClient jdbc;
  private final PersonLocks locks;
  private final Traits traits;
  private final Consents consents;
  private final Metrics metrics;
  private final Points points;
  private final ProfileEvents events;

  ProfileMerges(JdbcClient jdbc, PersonLocks locks, Traits traits, Consents consents, Metrics metrics, Points points,
      ProfileEvents events) {
    this.jdbc = jdbc;
    this.locks = locks;
    this.traits = traits;
    this.consents = consents;
    this.metrics = metrics;
    this.points = points;
    this.events = events;
  }

  @ApplicationModuleListener
  void on(PersonsMerged e) {
    int survivor = e.survivor().value();
    int merged = e.merged().value();
    locks.lock(survivor, merged);
    Map<Purpose, ConsentDecision> survivorBefore = consents.current(survivor);
    Map<Purpose, ConsentDecision> mergedBefore = consents.current(merged);
    jdbc.sql("UPDATE profile_trait_change SET person_id = ? WHERE person_id = ?").params(survivor, merged).update();
    jdbc.sql("UPDATE profile_consent_event SET person_id = ? WHERE person_id = ?").params(survivor, merged).update();
    metrics.moveAll(merged, survivor);
    points.moveAll(merged, survivor);
    refold(merged, mergedBefore);
    refold(survivor, survivorBefore);
    metrics.recompute(merged);
    metrics.recompute(survivor);
  }

  @ApplicationModuleListener
  void on(PersonSplit e) {
    int from = e.from().value();
    int restored = e.restored().value();
    locks.lock(from, restored);
    Map<Purpose, ConsentDecision> fromBefore = consents.current(from);
    Map<Purpose, ConsentDecision> restoredBefore = consents.current(restored);
    jdbc.sql("UPDATE profile_trait_change SET person_id = ? WHERE person_id = ? AND origin_person_id = ?")
        .params(restored, from, restored).update();
    jdbc.sql("UPDATE profile_consent_event SET person_id = ? WHERE person_id = ? AND origin_person_id = ?")
        .params(restored, from, restored).update();
    points.giveBack(from, restored);
    List<Integer> gained = new ArrayList<>(metrics.reattribute(from));
    refold(from, fromBefore);
    refold(restored, restoredBefore);
    metrics.recompute(from);
    metrics.recompute(restored);
    gained.stream().filter(p -> p != from && p != restored).forEach(metrics::recompute);
  }

  private void refold(int person, Map<Purpose, ConsentDecision> consentsBefore) {
    Map<String, String> traitChanges = traits.rebuild(person);
    Map<String, Boolean> consentChanges = consents.refresh(person, consentsBefore);
    events.changed(person, traitChanges, null, consentChanges);
  }
}
