package io.pond.segment.audience;

import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.platform.Identifier;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.pii.PiiCipher;
import io.pond.platform.security.Actors;
import io.pond.platform.security.CurrentCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Audience export (人群包): a segment's members page by page, in person id order, each with their phone
 * masked ({@code 138****8000}) or as the keyed hash of the normalised phone (HMAC-SHA256 with Pond's
 * PII hashing key, the same value identity matches phones by), never in clear. The cursor is the last
 * person id of the previous page, so pages stay stable while the segment changes.
 */
@RestController
@Tag(name = "Segments")
class AudienceExport {

  private final Segments segments;
  private final Persons persons;
  private final PiiCipher cipher;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  AudienceExport(Segments segments, Persons persons, PiiCipher cipher, AuditLog audit, TransactionTemplate tx) {
    this.segments = segments;
    this.persons = persons;
    this.cipher = cipher;
    this.audit = audit;
    this.tx = tx;
  }

  record Row(int personId, String phone) {}

  record Page(String segment, long total, String phone, List<Row> rows, Integer nextAfter) {}

  @GetMapping("/api/v1/segments/{code}/export")
  @PreAuthorize(SegmentsController.READERS)
  @Operation(summary = "Export a page of a segment's members (人群包) as JSON or CSV; phones masked or hashed",
      description = "format=json|csv, phone=masked|hashed, after=<last person id of the previous page>, limit=1-10000. "
          + "The next page's cursor is `nextAfter` (JSON) or the `X-Next-After` header (CSV).")
  ResponseEntity<?> export(
      @PathVariable String code,
      @RequestParam(defaultValue = "json") String format,
      @RequestParam(defaultValue = "masked") String phone,
      @RequestParam(required = false) Integer after,
      @RequestParam(defaultValue = "1000") int limit) {
    if (!format.equals("json") && !format.equals("csv")) {
      throw PondException.invalid("format", "'json' or 'csv'");
    }
    if (!phone.equals("masked") && !phone.equals("hashed")) {
      throw PondException.invalid("phone", "'masked' or 'hashed'");
    }
    if (limit < 1 || limit > 10_000) {
      throw PondException.invalid("limit", "1-10000");
    }
    if (CurrentCaller.channels().isRestricted()) {
      throw new PondException(ErrorCode.FORBIDDEN, "an audience spans every channel; a caller limited to some channels cannot export it");
    }
    RoaringBitmap members = segments.members(code);
    List<Row> rows = new ArrayList<>();
    PeekableIntIterator it = members.getIntIterator();
    if (after != null) {
      it.advanceIfNeeded(after + 1);
    }
    Integer last = null;
    while (it.hasNext() && rows.size() < limit) {
      int p = it.next();
      last = p;
      rows.add(new Row(p, phoneOf(p, phone.equals("hashed"))));
    }
    Integer next = it.hasNext() ? last : null;
    int count = rows.size();
    tx.executeWithoutResult(s -> audit.record(Actors.current(), "segment.exported", "segment:" + code,
        String.format(Locale.ROOT, "%s, phones %s, after %s, %d rows", format, phone, after, count)));
    Page page = new Page(code, members.getLongCardinality(), phone, rows, next);
    if (format.equals("json")) {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(page);
    }
    StringBuilder csv = new StringBuilder("person_id,phone\n");
    rows.forEach(r -> csv.append(r.personId()).append(',').append(r.phone() == null ? "" : r.phone()).append('\n'));
    ResponseEntity.BodyBuilder response = ResponseEntity.ok()
        .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + code + ".csv\"")
        .header("X-Total-Count", Long.toString(page.total()));
    if (next != null) {
      response.header("X-Next-After", next.toString());
    }
    return response.body(csv.toString());
  }

  private String phoneOf(int person, boolean hashed) {
    for (Identifier id : persons.identifiersOf(PersonId.of(person))) {
      if (Identifier.PHONE.equals(id.type())) {
        return hashed ? cipher.keyedHash(id.value()) : PiiCipher.mask(id.value());
      }
    }
    return null;
  }
}
