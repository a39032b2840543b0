package io.pond.ingest.plan;

import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A source's tracking plan and the violations counted against it. */
@RestController
@RequestMapping("/api/v1/ingest/sources/{sourceId}/tracking-plan")
@Tag(name = "Ingestion: tracking plans")
class TrackingPlanController {

  private final TrackingPlans plans;
  private final ViolationCounts violations;

  TrackingPlanController(TrackingPlans plans, ViolationCounts violations) {
    this.plans = plans;
    this.violations = violations;
  }

  @GetMapping
  @Operation(summary = "A source's tracking plan (404 when it has none)")
  TrackingPlans.Stored get(@PathVariable long sourceId) {
    return plans.get(sourceId).orElseThrow(() -> PondException.notFound("Tracking plan of source", sourceId));
  }

  @PutMapping
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Create or replace a source's tracking plan (admin/operator); applies to records received from now on")
  TrackingPlans.Stored put(@PathVariable long sourceId, @RequestBody TrackingPlans.Definition definition) {
    return plans.put(sourceId, definition, Actors.current());
  }

  @DeleteMapping
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Remove a source's tracking plan (admin/operator); counted violations are kept")
  ResponseEntity<Void> delete(@PathVariable long sourceId) {
    if (!plans.delete(sourceId, Actors.current())) {
      throw PondException.notFound("Tracking plan of source", sourceId);
    }
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/violations")
  @Operation(summary = "Violations of the source's tracking plan, per event and kind, most frequent first")
  List<ViolationCounts.Count> violations(@PathVariable long sourceId) {
    plans.get(sourceId); // 404 for an unknown source
    return violations.of(sourceId);
  }
}
