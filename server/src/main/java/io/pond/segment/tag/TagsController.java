package io.pond.segment.tag;

import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.pond.platform.security.CurrentCaller;
import io.pond.segment.audience.Segments;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/tags")
@Tag(name = "Tags", description = "Tags (标签): manual (one by one or from a CSV file), rule (a segment expression "
    + "refreshed on a schedule) and model tags (AIPL, lifecycle, RFM), with the history of who got or lost them when")
class TagsController {

  private static final String READERS = "hasAnyRole('ADMIN','OPERATOR','ANALYST')";
  private static final String WRITERS = "hasAnyRole('ADMIN','OPERATOR')";

  private final Tags tags;
  private final Segments segments;
  private final AuditLog audit;

  TagsController(Tags tags, Segments segments, AuditLog audit) {
    this.tags = tags;
    this.segments = segments;
    this.audit = audit;
  }

  /** A tag's members as the caller sees them: only persons of the caller's channels for a restricted caller. */
  private RoaringBitmap membersSeen(String code, Optional<RoaringBitmap> visible) {
    RoaringBitmap members = tags.members(code);
    return visible.map(v -> RoaringBitmap.and(members, v)).orElse(members);
  }

  /** A caller limited to some channels tags only persons it may see. */
  private void requireVisible(List<Integer> personIds) {
    Optional<RoaringBitmap> visible = segments.visible(CurrentCaller.channels());
    if (visible.isPresent()) {
      List<Integer> outside = personIds.stream().filter(p -> p == null || !visible.get().contains(p)).limit(10).toList();
      if (!outside.isEmpty()) {
        throw PondException.invalid("personIds", "no such persons in your channels: " + outside);
      }
    }
  }

  record TagRequest(String code, String name, String kind, JsonNode expression) {}

  record TagView(String code, String name, String kind, JsonNode expression, long members, String createdBy,
      Instant createdAt, Instant refreshedAt) {}

  record MembersRequest(List<Integer> personIds) {}

  record MembersPage(String tag, long total, List<Integer> personIds, Integer nextAfter) {}

  private TagView view(Tags.Tag t) {
    return view(t, segments.visible(CurrentCaller.channels()));
  }

  /** A tag with its member count among the persons the caller sees. */
  private TagView view(Tags.Tag t, Optional<RoaringBitmap> visible) {
    return new TagView(t.code(), t.name(), t.kind(), t.expression(), membersSeen(t.code(), visible).getLongCardinality(),
        t.createdBy(), t.createdAt(), t.refreshedAt());
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "Define a manual or rule tag (a rule tag is computed at once)")
  TagView create(@RequestBody TagRequest request) {
    Tags.Tag t = tags.create(request.code(), request.name(), request.kind(), request.expression(), Actors.current());
    audit.record(Actors.current(), "tag.created", "tag:" + t.code(), t.kind());
    if (Tags.RULE.equals(t.kind())) {
      tags.refreshRule(t.code());
    }
    return view(t);
  }

  @PutMapping("/{code}")
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "Change a rule tag's expression (recomputed at once)")
  TagView update(@PathVariable String code, @RequestBody TagRequest request) {
    if (request.expression() == null) {
      throw PondException.invalid("/expression", "an expression is required");
    }
    Tags.Tag t = tags.updateRule(code, request.name(), request.expression());
    audit.record(Actors.current(), "tag.updated", "tag:" + code, "");
    tags.refreshRule(code);
    return view(t);
  }

  @GetMapping
  @Operation(summary = "Every tag with its member count")
  List<TagView> list() {
    Optional<RoaringBitmap> visible = segments.visible(CurrentCaller.channels());
    return tags.list().stream().map(t -> view(t, visible)).toList();
  }

  @GetMapping("/{code}")
  @Operation(summary = "A tag with its member count")
  TagView get(@PathVariable String code) {
    return view(tags.get(code));
  }

  @GetMapping("/{code}/members")
  @PreAuthorize(READERS)
  @Operation(summary = "A page of a tag's members (person ids in order; `after` is the previous page's last id)")
  MembersPage members(@PathVariable String code, @RequestParam(required = false) Integer after,
      @RequestParam(defaultValue = "1000") int limit) {
    if (limit < 1 || limit > 10_000) {
      throw PondException.invalid("limit", "1-10000");
    }
    RoaringBitmap members = membersSeen(code, segments.visible(CurrentCaller.channels()));
    var it = members.getIntIterator();
    if (after != null) {
      it.advanceIfNeeded(after + 1);
    }
    List<Integer> page = new java.util.ArrayList<>();
    while (it.hasNext() && page.size() < limit) {
      page.add(it.next());
    }
    return new MembersPage(code, members.getLongCardinality(), page, it.hasNext() ? page.get(page.size() - 1) : null);
  }

  @PostMapping("/{code}/members")
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "Put a manual tag on persons")
  Tags.Change assign(@PathVariable String code, @RequestBody MembersRequest request) {
    requireIds(request);
    requireVisible(request.personIds());
    Tags.Change change = tags.assign(code, request.personIds(), "api:" + Actors.current());
    audit.record(Actors.current(), "tag.assigned", "tag:" + code, change.added() + " persons");
    return change;
  }

  @PostMapping("/{code}/members/remove")
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "Take a manual tag off persons")
  Tags.Change unassign(@PathVariable String code, @RequestBody MembersRequest request) {
    requireIds(request);
    requireVisible(request.personIds());
    Tags.Change change = tags.unassign(code, request.personIds(), "api:" + Actors.current());
    audit.record(Actors.current(), "tag.removed", "tag:" + code, change.removed() + " persons");
    return change;
  }

  @PostMapping(path = "/{code}/members/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "Tag the persons of a CSV file: a person id, or type,value, or type,scope,value per line; "
      + "lines naming no known person are reported with their line number, the others kept")
  Tags.Import importFile(@PathVariable String code, @RequestPart("file") MultipartFile file) {
    try {
      Tags.Import result = tags.importCsv(code, new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8),
          "import:" + Actors.current(), segments.visible(CurrentCaller.channels()));
      audit.record(Actors.current(), "tag.imported", "tag:" + code, result.added() + " added, " + result.rejected().size() + " rejected");
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @PostMapping(path = "/{code}/members/import", consumes = "text/csv")
  @PreAuthorize(WRITERS)
  @Transactional
  @Operation(summary = "The same import with the CSV as the request body")
  Tags.Import importBody(@PathVariable String code, @RequestBody String csv) {
    Tags.Import result = tags.importCsv(code, new StringReader(csv), "import:" + Actors.current(), segments.visible(CurrentCaller.channels()));
    audit.record(Actors.current(), "tag.imported", "tag:" + code, result.added() + " added, " + result.rejected().size() + " rejected");
    return result;
  }

  @PostMapping("/refresh")
  @PreAuthorize(WRITERS)
  @Operation(summary = "Recompute every rule tag and the model tags now")
  Map<String, Tags.Change> refresh() {
    return tags.refreshAll();
  }

  @GetMapping("/{code}/history")
  @PreAuthorize(READERS)
  @Operation(summary = "Who got or lost the tag when, newest first")
  List<Tags.HistoryEntry> history(@PathVariable String code, @RequestParam(required = false) Integer personId,
      @RequestParam(defaultValue = "100") int limit) {
    tags.get(code);
    return tags.history(code, personId, limit);
  }

  record PersonTags(int personId, List<Tags.Held> tags, List<Tags.HistoryEntry> history) {}

  @GetMapping("/persons/{personId}")
  @PreAuthorize(READERS)
  @Operation(summary = "A person's tags now and their tag history")
  PersonTags ofPerson(@PathVariable int personId, @RequestParam(defaultValue = "100") int limit) {
    return new PersonTags(personId, tags.tagsOf(personId), tags.history(null, personId, limit));
  }

  private static void requireIds(MembersRequest request) {
    if (request.personIds() == null || request.personIds().isEmpty() || request.personIds().size() > 100_000) {
      throw PondException.invalid("personIds", "1-100000 person ids");
    }
    for (int i = 0; i < request.personIds().size(); i++) {
      Integer id = request.personIds().get(i);
      if (id == null || id <= 0) {
        throw PondException.invalid("/personIds/" + i, "a person id is a positive number");
      }
    }
  }

}
