package io.pond.analytics;

import io.pond.platform.errors.PondException;
import io.pond.platform.security.CurrentCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/analytics")
@Tag(name = "Analytics", description = "The console's dashboard: member growth, GMV by channel, members' and others' GMV, tiers")
class AnalyticsController {

  private final Dashboard dashboard;

  AnalyticsController(Dashboard dashboard) {
    this.dashboard = dashboard;
  }

  @GetMapping("/dashboard")
  @Operation(summary = "Member growth, GMV by channel, members' vs others' GMV and tier distribution for local dates "
      + "`from`..`to` (inclusive, brand time zone; default the last 30 days), by `day` or `week`, over the caller's channels")
  Dashboard.View dashboard(
      @RequestParam(required = false) String from, @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "day") String granularity, @RequestParam(required = false) String program) {
    LocalDate end = to == null ? dashboard.today() : date(to, "to");
    LocalDate start = from == null ? end.minusDays(29) : date(from, "from");
    Dashboard.Granularity g;
    try {
      g = Dashboard.Granularity.valueOf(granularity.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw PondException.invalid("granularity", "day or week");
    }
    return dashboard.build(start, end, g, program == null || program.isBlank() ? null : program, CurrentCaller.channels());
  }

  private static LocalDate date(String text, String field) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw PondException.invalid(field, "a date like 2026-06-01");
    }
  }
}
