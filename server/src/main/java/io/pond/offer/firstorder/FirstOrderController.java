package io.pond.offer.firstorder;

import io.pond.identity.PersonVisibility;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/offers/first-order-programs")
@Tag(name = "First-order programs", description = "New-customer offers (首单/新人礼) and their metrics")
class FirstOrderController {

  private final FirstOrders firstOrders;
  private final Clock clock;
  private final PersonVisibility visibility;

  FirstOrderController(FirstOrders firstOrders, Clock clock, PersonVisibility visibility) {
    this.firstOrders = firstOrders;
    this.clock = clock;
    this.visibility = visibility;
  }

  record ProgramRequest(@Size(max = 64) String code, @Size(max = 200) String name, Integer windowDays, List<String> templateCodes, Boolean enrolOnJoin) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Create a first-order program: its offers (templates) and the window in which a first order counts")
  FirstOrders.Program create(@RequestBody ProgramRequest r) {
    return firstOrders.create(r.code(), r.name(), r.windowDays(), r.templateCodes(), Boolean.TRUE.equals(r.enrolOnJoin()), Actors.current());
  }

  @GetMapping
  @Operation(summary = "First-order programs")
  List<FirstOrders.Program> list() {
    return firstOrders.list();
  }

  record EnrolRequest(@NotNull @Min(1) Integer personId) {}

  @PostMapping("/{code}/enrolments")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Enrol a new customer and issue the program's offers; enrolling again answers the enrolment")
  ResponseEntity<FirstOrders.Enrolment> enrol(@PathVariable String code, @Valid @RequestBody EnrolRequest r) {
    visibility.require(r.personId());
    FirstOrders.Enrolment e = firstOrders.enrol(code, r.personId());
    return ResponseEntity.status(e.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(e);
  }

  @GetMapping("/{code}/metrics")
  @Operation(summary = "First-order rate within the window and subsidy per acquired customer, for customers enrolled in [from, to)")
  FirstOrders.Metrics metrics(@PathVariable String code, @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to) {
    Instant end = to == null ? clock.instant() : to;
    Instant start = from == null ? Instant.EPOCH : from;
    if (!end.isAfter(start)) {
      throw PondException.invalid("to", "must be after from");
    }
    return firstOrders.metrics(code, start, end);
  }
}
