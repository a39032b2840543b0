package io.pond.loyalty.program;

import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/loyalty/programs")
@Tag(name = "Loyalty programs", description = "Tiers, earning rules, expiry and refund policy; every saved configuration is kept as a version")
class ProgramController {

  private final Programs programs;
  private final AuditLog audit;

  ProgramController(Programs programs, AuditLog audit) {
    this.programs = programs;
    this.audit = audit;
  }

  record CreateProgramRequest(@NotNull String code, @Size(max = 200) String name, @NotNull ProgramConfig config) {}

  record ProgramView(String code, String name, int version, ProgramConfig config) {
    static ProgramView of(Programs.Program p) {
      return new ProgramView(p.code(), p.name(), p.version(), p.config());
    }
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Transactional
  @Operation(summary = "Create a program with its first configuration (validated; defaults filled in)")
  ProgramView create(@Valid @RequestBody CreateProgramRequest request) {
    Programs.Program program = programs.create(request.code(), request.name(), request.config(), Actors.current());
    audit.record(Actors.current(), "loyalty.program.created", "loyalty_program:" + program.code(), "version 1");
    return ProgramView.of(program);
  }

  @PutMapping("/{code}")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Transactional
  @Operation(summary = "Save a new configuration version and make it current")
  ProgramView update(@PathVariable String code, @RequestBody ProgramConfig config) {
    Programs.Program program = programs.update(code, config, Actors.current());
    audit.record(Actors.current(), "loyalty.program.updated", "loyalty_program:" + code, "version " + program.version());
    return ProgramView.of(program);
  }

  @GetMapping
  @Operation(summary = "List programs with their current configuration")
  List<ProgramView> list() {
    return programs.list().stream().map(ProgramView::of).toList();
  }

  @GetMapping("/{code}")
  @Operation(summary = "A program and its current configuration")
  ProgramView get(@PathVariable String code) {
    return ProgramView.of(programs.get(code));
  }

  @GetMapping("/{code}/versions")
  @Operation(summary = "Every configuration version, newest first")
  List<Programs.Version> versions(@PathVariable String code) {
    return programs.versions(code);
  }
}
