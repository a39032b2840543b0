package io.pond.loyalty.ledger;

import io.pond.loyalty.PersonRef;
import io.pond.loyalty.program.Programs;
import io.pond.platform.Identifier;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Batched earning over the API: balances migrated from an old system, a campaign's bulk award. A row
 * names its member by Pond person id or by an identifier that OneID resolves ({@link ImportIdentities}:
 * an old CRM knows phones, not person ids). Each row is checked on its own; the good rows are posted
 * ({@link EarningImport}: idempotent per source and business id, so a re-sent file posts only what is
 * missing) and the bad ones answered with their index, field and reason. Audited.
 */
@RestController
@RequestMapping("/api/v1/loyalty/programs/{program}")
@Tag(name = "Loyalty members")
class PointsImportController {

  /** Rows per request; larger imports are sent in several requests (each is idempotent). */
  static final int MAX_ROWS = 100_000;

  private final EarningImport importer;
  private final ImportIdentities identities;
  private final Programs programs;
  private final Clock clock;

  PointsImportController(EarningImport importer, ImportIdentities identities, Programs programs, Clock clock) {
    this.importer = importer;
    this.identities = identities;
    this.programs = programs;
    this.clock = clock;
  }

  /** A member named by an identifier instead of a person id: {@code type} phone, wechat_unionid, taobao_ouid…; a scope where the type has one. */
  record MemberIdentifier(String type, String scope, String value) {}

  /** One row: the member by {@code personId} or by {@code identifier} (one of the two). */
  record Row(Integer personId, MemberIdentifier identifier, String businessId, Long points, String reason, Instant occurredAt) {}

  record ImportRequest(@NotBlank @Size(max = 64) String source, @NotNull @Size(min = 1, max = MAX_ROWS) List<Row> earnings) {}

  /** A row that was not imported: its position in {@code earnings}, the field at fault and why. */
  record Rejected(int index, String field, String reason) {}

  record ImportResult(int posted, int replayed, List<Rejected> rejected) {}

  @PostMapping("/imports")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(
      summary = "Import earned points in bulk (up to 100,000 rows): each row a member (personId, or an identifier such as a phone that"
          + " OneID resolves, creating the person when unknown), a business id unique per source, points and an optional reason and"
          + " time; posted once per source + businessId, bad rows answered with index, field and reason (audited)")
  ImportResult importPoints(@PathVariable String program, @Valid @RequestBody ImportRequest request) {
    programs.get(program); // an unknown program is refused before OneID creates anyone
    Instant now = clock.instant();
    List<Rejected> rejected = new ArrayList<>();
    // the rows that passed their checks; those naming an identifier get their person from OneID
    record Good(int index, Row row, Identifier identifier) {}
    List<Good> good = new ArrayList<>();
    Map<Identifier, String> firstBusinessIds = new LinkedHashMap<>();
    for (int i = 0; i < request.earnings().size(); i++) {
      Row row = request.earnings().get(i);
      PondException fault = row == null ? PondException.invalid("row", "must be an object") : member(row);
      if (fault == null) {
        int person = row.identifier() != null ? 0 : row.personId();
        fault = EarningImport.check(request.source(), person, row.businessId(), row.points(), row.reason(), row.occurredAt(), now);
      }
      if (fault != null) {
        rejected.add(new Rejected(i, "earnings[" + i + "]." + fault.field(), fault.getMessage()));
        continue;
      }
      Identifier id = null;
      if (row.identifier() != null) {
        id = new Identifier(row.identifier().type().strip(), blankToNull(row.identifier().scope()), row.identifier().value().strip());
        firstBusinessIds.putIfAbsent(id, row.businessId());
      }
      good.add(new Good(i, row, id));
    }
    Map<Identifier, ImportIdentities.Found> found = identities.resolve(program, request.source(), firstBusinessIds, now);
    List<EarningImport.Earning> earnings = new ArrayList<>();
    for (Good g : good) {
      PersonRef person;
      if (g.identifier() == null) {
        person = new PersonRef(g.row().personId());
      } else {
        ImportIdentities.Found f = found.get(g.identifier());
        if (f.person() == null) {
          rejected.add(new Rejected(g.index(), "earnings[" + g.index() + "].identifier", f.refused()));
          continue;
        }
        person = f.person();
      }
      Row row = g.row();
      earnings.add(new EarningImport.Earning(person, row.businessId(), row.points(), row.reason(),
          row.occurredAt() == null ? now : row.occurredAt()));
    }
    rejected.sort(Comparator.comparingInt(Rejected::index));
    EarningImport.Result result = importer.runAudited(program, request.source(), earnings, rejected.size(), Actors.current());
    return new ImportResult(result.posted(), result.replayed(), rejected);
  }

  /** Whether the row names its member once: a person id or an identifier with a type and a value. */
  private static PondException member(Row row) {
    MemberIdentifier id = row.identifier();
    if (id == null) {
      return row.personId() == null ? PondException.invalid("personId", "a person id or an identifier is required") : null;
    }
    if (row.personId() != null) {
      return PondException.invalid("identifier", "give a person id or an identifier, not both");
    }
    if (id.type() == null || id.type().isBlank()) {
      return PondException.invalid("identifier.type", "required (phone, wechat_unionid, taobao_ouid…)");
    }
    if (id.value() == null || id.value().isBlank()) {
      return PondException.invalid("identifier.value", "required");
    }
    return null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
