package io.pond.offer.issuance;

import io.pond.offer.coupon.IdempotencyKeys;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.pond.platform.security.CurrentCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/offers")
@Tag(name = "Coupon issuance", description = "Bulk issue jobs (lists, uploads, audiences) and coupons issued on events")
class IssuanceController {

  private final BulkIssuance bulk;
  private final Triggers triggers;

  IssuanceController(BulkIssuance bulk, Triggers triggers) {
    this.bulk = bulk;
    this.triggers = triggers;
  }

  record JobRequest(@Size(max = 200) String idempotencyKey, @NotBlank String templateCode, @Size(max = 1_000_000) List<Integer> personIds,
      @Size(max = 300) String audience) {}

  @PostMapping("/issue-jobs")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Issue a template to a list of persons or an audience (kind:reference), in the background; idempotent on idempotencyKey")
  ResponseEntity<BulkIssuance.Job> start(@Valid @RequestBody JobRequest r, @RequestHeader(value = "Idempotency-Key", required = false) String header) {
    requireEveryChannel();
    String key = IdempotencyKeys.of(r.idempotencyKey(), header);
    if ((r.personIds() == null) == (r.audience() == null)) {
      throw PondException.invalid("personIds", "give personIds or an audience, not both");
    }
    BulkIssuance.Job job =
        r.audience() != null
            ? bulk.startFromAudience(key, r.templateCode(), r.audience(), Actors.current())
            : bulk.start(key, r.templateCode(), r.personIds(), "list", Actors.current());
    return ResponseEntity.status(job.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(job);
  }

  @PostMapping(value = "/issue-jobs", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Issue a template to the person ids of an uploaded CSV (first column), in the background")
  ResponseEntity<BulkIssuance.Job> upload(
      @RequestParam("templateCode") String templateCode, @RequestParam("file") MultipartFile file,
      @RequestParam(value = "idempotencyKey", required = false) String idempotencyKey,
      @RequestHeader(value = "Idempotency-Key", required = false) String header) throws IOException {
    requireEveryChannel();
    try (InputStream in = file.getInputStream()) {
      BulkIssuance.Job job = bulk.startFromCsv(IdempotencyKeys.of(idempotencyKey, header), templateCode, in, file.getOriginalFilename(), Actors.current());
      return ResponseEntity.status(job.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(job);
    }
  }

  @GetMapping("/issue-jobs")
  @Operation(summary = "The latest issue jobs with their progress")
  List<BulkIssuance.Job> jobs() {
    return bulk.list();
  }

  @GetMapping("/issue-jobs/{id}")
  @Operation(summary = "An issue job's progress")
  BulkIssuance.Job job(@PathVariable long id) {
    return bulk.get(id);
  }

  @GetMapping("/issue-jobs/{id}/items")
  @Operation(summary = "Persons of a job by status (PENDING, ISSUED, REFUSED), paged by seq")
  List<BulkIssuance.Item> items(@PathVariable long id, @RequestParam(defaultValue = "REFUSED") String status,
      @RequestParam(defaultValue = "0") int after, @RequestParam(defaultValue = "100") int limit) {
    bulk.get(id);
    return bulk.items(id, status, after, Math.max(1, Math.min(limit, 1000)));
  }

  @PostMapping("/issue-jobs/{id}/pause")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Pause a job after its current chunk")
  BulkIssuance.Job pause(@PathVariable long id) {
    return bulk.pause(id, Actors.current());
  }

  @PostMapping("/issue-jobs/{id}/resume")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Resume a paused or interrupted job where it stopped; nobody is issued twice")
  BulkIssuance.Job resume(@PathVariable long id) {
    requireEveryChannel();
    return bulk.resume(id, Actors.current());
  }

  record TriggerRequest(@NotBlank String event, @NotBlank String templateCode) {}

  @PostMapping("/triggers")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Issue a template to every member on an event: join (入会有礼) or birthday")
  Triggers.Trigger addTrigger(@Valid @RequestBody TriggerRequest r) {
    requireEveryChannel();
    return triggers.add(r.event(), r.templateCode(), Actors.current());
  }

  @GetMapping("/triggers")
  @Operation(summary = "Templates issued on events")
  List<Triggers.Trigger> triggers() {
    return triggers.list();
  }

  @DeleteMapping("/triggers/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Stop issuing a template on an event")
  void removeTrigger(@PathVariable long id) {
    requireEveryChannel();
    triggers.remove(id, Actors.current());
  }

  /** Bulk jobs and event triggers reach persons on every channel: not for a caller limited to some. */
  private static void requireEveryChannel() {
    if (CurrentCaller.channels().isRestricted()) {
      throw new PondException(ErrorCode.FORBIDDEN,
          "Bulk issuance reaches members on every channel; your data scope is limited to " + CurrentCaller.channels() + ".", "channel");
    }
  }
}
