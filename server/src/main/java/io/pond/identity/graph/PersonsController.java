package io.pond.identity.graph;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.PersonId;
import io.pond.identity.PersonVisibility;
import io.pond.identity.Resolution;
import io.pond.identity.ResolvingIdentity;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.pond.platform.security.CurrentCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Identity", description = "OneID: persons, their identifiers and identity graph, merges, splits, conflicts")
class PersonsController {

  static final int MAX_PAGE_SIZE = 500;

  private final PersonOperations operations;
  private final ResolvingIdentity resolving;
  private final Clock clock;
  private final PersonVisibility visibility;

  PersonsController(PersonOperations operations, ResolvingIdentity resolving, Clock clock, PersonVisibility visibility) {
    this.operations = operations;
    this.resolving = resolving;
    this.clock = clock;
    this.visibility = visibility;
  }

  record IdentifierRequest(@NotBlank String type, String scope, @NotNull String value) {}

  record EvidenceRequest(
      @NotEmpty @Size(max = Evidence.MAX_IDENTIFIERS) List<@Valid IdentifierRequest> identifiers,
      String kind,
      @Size(max = 100) String source,
      Instant occurredAt,
      @Size(max = Evidence.MAX_KEY_LENGTH) String idempotencyKey) {}

  record RefusedView(String type, String scope, String value, String reason) {}

  record ResolutionView(Integer personId, String outcome, String reason, List<Integer> merged, List<RefusedView> refused) {
    static ResolutionView of(Resolution r) {
      String reason = switch (r.outcome()) {
        case Resolution.Outcome.Conflict c -> c.reason();
        case Resolution.Outcome.Rejected x -> x.reason();
        default -> null;
      };
      List<Integer> merged = r.outcome() instanceof Resolution.Outcome.Merged m
          ? m.merged().stream().map(PersonId::value).toList() : null;
      String outcome = r.outcome().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
      if (r.outcome() instanceof Resolution.Outcome.Unchanged u && u.replay()) {
        outcome = "replayed";
      }
      return new ResolutionView(r.person().map(PersonId::value).orElse(null), outcome, reason, merged,
          r.refused().stream().map(x -> x.identifier() == null
              ? new RefusedView(null, null, null, x.reason())
              : new RefusedView(x.identifier().type(), x.identifier().scope(), x.identifier().value(), x.reason())).toList());
    }
  }

  record MergeRequest(@NotNull @Size(min = 2, max = 20) List<Integer> personIds, @Size(max = 500) String note) {}

  record SplitRequest(Long mergeId) {}

  @GetMapping("/persons/lookup")
  @Operation(summary = "The person holding an identifier, with all its identifiers (phones and e-mails masked unless you are an admin)")
  PersonOperations.PersonView lookup(
      @RequestParam String type, @RequestParam(required = false) String scope, @RequestParam String value) {
    PersonOperations.PersonView found = operations.lookup(new Identifier(type, scope, value), Callers.maySeePii());
    if (!visibility.visible(PersonId.of(found.personId()), CurrentCaller.channels())) {
      throw new PondException(ErrorCode.NOT_FOUND, "no person holds this identifier");
    }
    return found;
  }

  @GetMapping("/persons/{id}")
  @Operation(summary = "A person and its identifiers; a merged-away person answers with mergedInto")
  PersonOperations.PersonView person(@PathVariable int id) {
    return operations.person(personId(id), Callers.maySeePii());
  }

  @GetMapping("/persons/{id}/graph")
  @Operation(summary = "The identity graph of a person: identifiers as nodes, evidence as edges (source, time), merges")
  PersonOperations.GraphView graph(@PathVariable int id) {
    return operations.graphOf(personId(id), Callers.maySeePii());
  }

  @GetMapping("/persons/{id}/events")
  @Operation(summary = "The events of a person over all its identifiers (those of merged persons included), newest first")
  PersonOperations.EventsView events(
      @PathVariable int id, @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    if (page < 0) {
      throw PondException.invalid("page", "page must be 0 or more");
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw PondException.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
    }
    return operations.events(personId(id), page, size, Callers.maySeePii());
  }

  @GetMapping("/persons/{id}/merges")
  @Operation(summary = "Merges into and out of a person, with their evidence")
  List<PersonOperations.MergeView> merges(@PathVariable int id) {
    return operations.merges(personId(id));
  }

  @PostMapping("/persons/merge")
  @Operation(summary = "Merge persons by hand (admin/operator); the older person survives; audited")
  PersonOperations.MergeResult merge(@Valid @RequestBody MergeRequest request) {
    Callers.requireOperator();
    List<PersonId> persons = request.personIds().stream().map(PersonsController::personId).toList();
    persons.forEach(p -> visibility.require(p.value())); // ids in the body: PersonScopeWeb checks only paths
    return operations.merge(persons, request.note(), Actors.current());
  }

  @PostMapping("/persons/{id}/split")
  @Operation(summary = "Undo a merge into this person (the latest one unless mergeId is given); audited")
  PersonOperations.SplitResult split(@PathVariable int id, @RequestBody(required = false) SplitRequest request) {
    Callers.requireOperator();
    return operations.split(personId(id), request == null ? null : request.mergeId(), Actors.current());
  }

  @PostMapping("/identity/evidence")
  @Operation(summary = "Resolve one piece of evidence (identifiers seen together, an alias, a bind…) — admin/operator")
  ResolutionView evidence(@Valid @RequestBody EvidenceRequest request) {
    Callers.requireOperator();
    LinkKind kind;
    try {
      kind = request.kind() == null ? LinkKind.TOGETHER : LinkKind.fromWire(request.kind());
    } catch (IllegalArgumentException e) {
      throw PondException.invalid("kind", "must be together, alias, signup, bind, unbind or manual");
    }
    if (kind == LinkKind.SPLIT) {
      throw PondException.invalid("kind", "splits go through POST /api/v1/persons/{id}/split");
    }
    Evidence evidence = new Evidence(
        request.identifiers().stream().map(i -> new Identifier(i.type(), i.scope(), i.value())).toList(),
        kind,
        request.source() == null ? "api" : request.source(),
        request.occurredAt() == null ? clock.instant() : request.occurredAt(),
        request.idempotencyKey() == null || request.idempotencyKey().isBlank()
            ? "api:" + UUID.randomUUID() : request.idempotencyKey());
    return ResolutionView.of(resolving.resolve(evidence));
  }

  @GetMapping("/identity/conflicts")
  @Operation(summary = "Persons that evidence would have merged but a guard kept apart (open ones unless status=all)")
  List<PersonOperations.ConflictView> conflicts(
      @RequestParam(defaultValue = "open") String status, @RequestParam(defaultValue = "100") int limit) {
    if (!status.equals("open") && !status.equals("all")) {
      throw PondException.invalid("status", "must be open or all");
    }
    if (limit < 1 || limit > 1000) {
      throw PondException.invalid("limit", "must be between 1 and 1000");
    }
    requireEveryChannel();
    return operations.conflicts(status.equals("open"), limit);
  }

  @PostMapping("/identity/conflicts/{id}/dismiss")
  @Operation(summary = "Keep the persons of a conflict apart (admin/operator); to join them, merge them by hand")
  PersonOperations.ConflictView dismiss(@PathVariable long id) {
    Callers.requireOperator();
    requireEveryChannel();
    return operations.dismiss(id, Actors.current());
  }

  /** A person id of a path or body (PersonScopeWeb has checked a path's id against the caller's channels). */
  private static PersonId personId(int id) {
    if (id <= 0) {
      throw PondException.invalid("personId", "a person id is a positive number");
    }
    return PersonId.of(id);
  }

  /** Conflicts pair persons across channels: reviewing them is for callers who see every channel. */
  private static void requireEveryChannel() {
    if (CurrentCaller.channels().isRestricted()) {
      throw new PondException(ErrorCode.FORBIDDEN, "Identity conflicts span channels; your data scope is limited to "
          + CurrentCaller.channels() + ".", "channel");
    }
  }
}
