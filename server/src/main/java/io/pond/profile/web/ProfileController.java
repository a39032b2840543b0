package io.pond.profile.web;

import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.pond.platform.security.CurrentCaller;
import io.pond.profile.consent.Consents;
import io.pond.profile.consent.domain.ConsentDecision;
import io.pond.profile.consent.domain.Purpose;
import io.pond.profile.metrics.Metrics;
import io.pond.profile.metrics.domain.PersonMetrics;
import io.pond.profile.person.Access;
import io.pond.profile.privacy.DataSubjectExport;
import io.pond.profile.privacy.Erasures;
import io.pond.profile.timeline.Timeline;
import io.pond.profile.trait.Traits;
import io.pond.profile.trait.domain.TraitPrecedence;
import io.pond.profile.trait.domain.TraitWrite;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/persons/{id}")
@Tag(name = "Profile", description = "Customer 360: traits, consents, metrics, timeline; data-subject export and erasure")
class ProfileController {

  private final Access access;
  private final Traits traits;
  private final Consents consents;
  private final Metrics metrics;
  private final Timeline timeline;
  private final DataSubjectExport export;
  private final Erasures erasures;
  private final Clock clock;

  ProfileController(Access access, Traits traits, Consents consents, Metrics metrics, Timeline timeline, DataSubjectExport export,
      Erasures erasures, Clock clock) {
    this.access = access;
    this.traits = traits;
    this.consents = consents;
    this.metrics = metrics;
    this.timeline = timeline;
    this.export = export;
    this.erasures = erasures;
    this.clock = clock;
  }

  record ConsentView(String purpose, boolean granted, String source, String actor, String note, Instant occurredAt) {
    static ConsentView of(ConsentDecision d) {
      return new ConsentView(d.purpose().wire(), d.granted(), d.source(), d.actor(), d.note(), d.occurredAt());
    }
  }

  record ConsentsView(int personId, Map<String, Boolean> granted, List<ConsentView> current, List<ConsentView> history) {}

  record MetricsView(int personId, Map<String, Long> metrics, String favouriteChannel, String favouriteCategory,
      Instant computedAt) {}

  record ProfileView(int personId, String pseudonym, List<Traits.TraitView> traits, Map<String, Boolean> consents,
      MetricsView metrics) {}

  record TraitsRequest(@NotNull @Size(min = 1, max = 100) Map<String, String> traits, String source, Instant observedAt) {}

  record TraitsResult(int personId, List<Traits.Outcome> outcomes, List<Traits.TraitView> traits) {}

  record ConsentRequest(@NotNull String purpose, @NotNull Boolean granted, String source, Instant occurredAt,
      @Size(max = 500) String note) {}

  record ErasureRequest(@Size(max = 500) String reason) {}

  @GetMapping("/profile")
  @Operation(summary = "The customer 360 of a person: traits (personal ones masked unless admin), consents, metrics")
  ProfileView profile(@PathVariable int id) {
    int person = access.person(id);
    boolean allChannels = !CurrentCaller.channels().isRestricted();
    return new ProfileView(person, erasures.of(person).map(Erasures.Erasure::pseudonym).orElse(null),
        traits.list(person, Access.maySeePii()), granted(person), allChannels ? metricsView(person) : null);
  }

  @GetMapping("/traits")
  @Operation(summary = "A person's traits with their source and observation time (personal ones masked unless admin)")
  List<Traits.TraitView> traits(@PathVariable int id) {
    return traits.list(access.person(id), Access.maySeePii());
  }

  @PutMapping("/traits")
  @Operation(summary = "Set or remove (null) traits from a source (default operator) under source precedence — admin/operator")
  TraitsResult setTraits(@PathVariable int id, @Valid @RequestBody TraitsRequest request) {
    Access.requireOperator();
    int person = access.person(id);
    TraitPrecedence precedence = traits.precedence();
    String source = request.source() == null ? "operator" : request.source();
    if (!precedence.knows(source)) {
      throw PondException.invalid("source", "unknown trait source '" + source + "'; one of " + precedence.sources());
    }
    Instant at = request.observedAt() == null ? clock.instant() : request.observedAt();
    List<TraitWrite> writes = new ArrayList<>();
    request.traits().forEach((name, value) -> {
      Traits.validate("traits." + name, name, value);
      writes.add(new TraitWrite(name, value, source, at));
    });
    List<Traits.Outcome> outcomes = traits.write(person, writes, Actors.current());
    return new TraitsResult(person, outcomes, traits.list(person, Access.maySeePii()));
  }

  @GetMapping("/consents")
  @Operation(summary = "Consents per purpose (marketing, sms, wechat, data_sharing) and their full history")
  ConsentsView consents(@PathVariable int id) {
    int person = access.person(id);
    return consentsView(person);
  }

  @PostMapping("/consents")
  @Operation(summary = "Record a consent decision (granted or withdrawn) for a purpose — admin/operator")
  ConsentsView recordConsent(@PathVariable int id, @Valid @RequestBody ConsentRequest request) {
    Access.requireOperator();
    int person = access.person(id);
    Purpose purpose = Purpose.fromWire(request.purpose()).orElseThrow(() -> PondException.invalid("purpose",
        "one of " + Arrays.stream(Purpose.values()).map(Purpose::wire).toList()));
    String source = request.source() == null ? "console" : request.source();
    if (!TraitPrecedence.SOURCE.matcher(source).matches()) {
      throw PondException.invalid("source", "a source is lower-case letters, digits and '_' (at most 32)");
    }
    Instant at = request.occurredAt() == null ? clock.instant() : request.occurredAt();
    if (at.isAfter(clock.instant().plusSeconds(300))) {
      throw PondException.invalid("occurredAt", "must not be in the future");
    }
    consents.record(person, new Consents.Decision(purpose, request.granted(), source, request.note(), at), Actors.current());
    return consentsView(person);
  }

  @GetMapping("/metrics")
  @Operation(summary = "Computed metrics: orders, spend, AOV, refund rate, first/last order, RFM, CLV, favourites (all-channel callers)")
  MetricsView metrics(@PathVariable int id) {
    Access.requireAllChannels("metrics");
    return metricsView(access.person(id));
  }

  @GetMapping("/timeline")
  @Operation(summary = "Events, orders, refunds, points, consents and trait changes, newest first, paged")
  Timeline.Page timeline(@PathVariable int id, @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size, @RequestParam(required = false) String kinds) {
    int person = access.person(id);
    Set<String> wanted = Timeline.KINDS;
    if (kinds != null && !kinds.isBlank()) {
      wanted = new LinkedHashSet<>();
      for (String k : kinds.split(",")) {
        if (!Timeline.KINDS.contains(k.trim())) {
          throw PondException.invalid("kinds", "'" + k.trim() + "' is not one of " + Timeline.KINDS);
        }
        wanted.add(k.trim());
      }
    }
    return timeline.page(person, page, size, wanted, CurrentCaller.channels(), Access.maySeePii());
  }

  @GetMapping("/export")
  @Operation(summary = "Data-subject export: everything about the person as one JSON document — admin only, audited")
  DataSubjectExport.Document export(@PathVariable int id) {
    Access.requireAdmin("export a person's data");
    return export.export(access.person(id), Actors.current());
  }

  @PostMapping("/erasure")
  @Operation(summary = "Data-subject erasure: personal data removed, ledger and aggregates kept under a pseudonym — admin only, audited")
  Erasures.Erasure erase(@PathVariable int id, @Valid @RequestBody(required = false) ErasureRequest request) {
    Access.requireAdmin("erase a person's data");
    return erasures.erase(access.person(id), request == null ? null : request.reason(), Actors.current());
  }

  private Map<String, Boolean> granted(int person) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    Consents.granted(consents.current(person)).forEach((p, g) -> out.put(p.wire(), g));
    return out;
  }

  private ConsentsView consentsView(int person) {
    return new ConsentsView(person, granted(person),
        consents.current(person).values().stream().map(ConsentView::of).toList(),
        consents.history(person).stream().map(ConsentView::of).toList());
  }

  private MetricsView metricsView(int person) {
    PersonMetrics m = metrics.of(person);
    return new MetricsView(person, m.metrics(), m.favouriteChannel(), m.favouriteCategory(), metrics.computedAt(person));
  }
}
