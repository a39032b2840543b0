package io.pond.segment.aipl;

import io.pond.platform.errors.PondException;
import io.pond.platform.security.CurrentCaller;
import io.pond.segment.audience.Segments;
import io.pond.segment.index.SegmentIndex;
import io.pond.segment.model.domain.AiplStage;
import io.pond.segment.model.domain.ModelRules;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/aipl")
@Tag(name = "AIPL", description = "AIPL stages (Aware, Interest, Purchase, Loyal) of every person from behaviour and "
    + "orders; daily snapshots and the flow between stages")
class AiplController {

  private final AiplSnapshots aipl;
  private final SegmentIndex index;
  private final Segments segments;

  AiplController(AiplSnapshots aipl, SegmentIndex index, Segments segments) {
    this.aipl = aipl;
    this.index = index;
    this.segments = segments;
  }

  /** Stages as the caller sees them: only persons of its channels for a caller limited to some (today's presence). */
  private Map<AiplStage, RoaringBitmap> seen(Map<AiplStage, RoaringBitmap> stages) {
    Optional<RoaringBitmap> visible = segments.visible(CurrentCaller.channels());
    if (visible.isEmpty()) {
      return stages;
    }
    Map<AiplStage, RoaringBitmap> out = new EnumMap<>(AiplStage.class);
    stages.forEach((stage, members) -> out.put(stage, RoaringBitmap.and(members, visible.get())));
    return out;
  }

  record StagesView(LocalDate day, Map<String, Long> counts, ModelRules rules) {}

  record FlowView(LocalDate from, LocalDate to, Map<String, Map<String, Integer>> transitions) {}

  @GetMapping
  @Operation(summary = "How many persons are in each stage now, and the rules used")
  StagesView now() {
    return new StagesView(LocalDate.ofEpochDay(index.today()), counts(seen(aipl.now())), index.rules());
  }

  @PostMapping("/snapshots")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Store today's stages now (the server also does it once a day)")
  StagesView snapshot() {
    LocalDate day = aipl.snapshot();
    return new StagesView(day, counts(seen(aipl.at(day))), index.rules());
  }

  @GetMapping("/snapshots")
  @Operation(summary = "The days that have a snapshot, with the counts per stage")
  List<StagesView> snapshots() {
    return aipl.days().stream().map(d -> new StagesView(d, counts(seen(aipl.at(d))), null)).toList();
  }

  @GetMapping("/flow")
  @Operation(summary = "Transition matrix: persons in each stage on `from` by their stage on `to` (`none`: no stage)")
  FlowView flow(@RequestParam String from, @RequestParam(required = false) String to) {
    LocalDate a = date(from, "from");
    LocalDate b = to == null ? LocalDate.ofEpochDay(index.today()) : date(to, "to");
    if (!b.isAfter(a)) {
      throw PondException.invalid("to", "'to' is after 'from'");
    }
    Map<AiplStage, RoaringBitmap> start = seen(snapshotOrNow(a, "from"));
    Map<AiplStage, RoaringBitmap> end = seen(snapshotOrNow(b, "to"));
    return new FlowView(a, b, AiplSnapshots.transitions(start, end));
  }

  private Map<AiplStage, RoaringBitmap> snapshotOrNow(LocalDate day, String field) {
    if (aipl.hasSnapshot(day)) {
      return aipl.at(day);
    }
    if (day.toEpochDay() == index.today()) {
      return aipl.now();
    }
    throw PondException.invalid(field, "no AIPL snapshot on " + day + " (snapshots: " + aipl.days() + ")");
  }

  private static LocalDate date(String text, String field) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw PondException.invalid(field, "a date like 2026-06-01");
    }
  }

  private static Map<String, Long> counts(Map<AiplStage, RoaringBitmap> stages) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (AiplStage stage : AiplStage.values()) {
      counts.put(stage.wire(), stages.getOrDefault(stage, new RoaringBitmap()).getLongCardinality());
    }
    return counts;
  }
}
