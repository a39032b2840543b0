package io.pond.loyalty.ledger;

import io.pond.loyalty.PersonRef;
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
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Batched earning over the API: balances migrated from an old system, a campaign's bulk award. Each
 * row is checked on its own; the good rows are posted ({@link EarningImport}: idempotent per source and
 * business id, so a re-sent file posts only what is missing) and the bad ones answered with their index,
 * field and reason. Audited.
 */
@RestController
@RequestMapping("/api/v1/loyalty/programs/{program}")
@Tag(name = "Loyalty members")
class PointsImportController {

  /** Rows per request; larger imports are sent in several requests (each is idempotent). */
  static final int MAX_ROWS = 100_000;

  private final EarningImport importer;
  private final Clock clock;

  PointsImportController(EarningImport importer, Clock clock) {
    this.importer = importer;
    this.clock = clock;
  }

  record Row(Integer personId, String businessId, Long points, String reason, Instant occurredAt) {}

  record ImportRequest(@NotBlank @Size(max = 64) String source, @NotNull @Size(min = 1, max = MAX_ROWS) List<Row> earnings) {}

  /** A row that was not imported: its position in {@code earnings}, the field at fault and why. */
  record Rejected(int index, String field, String reason) {}

  record ImportResult(int posted, int replayed, List<Rejected> rejected) {}

  @PostMapping("/imports")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(
      summary = "Import earned points in bulk (up to 100,000 rows): each row a person, a business id unique per source, points and an"
          + " optional reason and time; posted once per source + businessId, bad rows answered with index, field and reason (audited)")
  ImportResult importPoints(@PathVariable String program, @Valid @RequestBody ImportRequest request) {
    Instant now = clock.instant();
    List<EarningImport.Earning> earnings = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (int i = 0; i < request.earnings().size(); i++) {
      Row row = request.earnings().get(i);
      PondException fault =
          row == null
              ? PondException.invalid("row", "must be an object")
              : EarningImport.check(request.source(), row.personId(), row.businessId(), row.points(), row.reason(), row.occurredAt(), now);
      if (fault != null) {
        rejected.add(new Rejected(i, "earnings[" + i + "]." + fault.field(), fault.getMessage()));
        continue;
      }
      earnings.add(new EarningImport.Earning(new PersonRef(row.personId()), row.businessId(), row.points(), row.reason(),
          row.occurredAt() == null ? now : row.occurredAt()));
    }
    EarningImport.Result result = importer.runAudited(program, request.source(), earnings, rejected.size(), Actors.current());
    return new ImportResult(result.posted(), result.replayed(), rejected);
  }
}
