package io.pond.identity.types;

import io.pond.identity.graph.Callers;
import io.pond.identity.types.domain.IdentifierType;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/identity/types")
@Tag(name = "Identity", description = "OneID: persons, their identifiers and identity graph, merges, splits, conflicts")
class TypesController {

  private final IdentifierTypes types;

  TypesController(IdentifierTypes types) {
    this.types = types;
  }

  record TypeView(String name, String scopeKind, String strength, int priority, int maxPerPerson, int windowDays,
      List<String> junkPatterns, String pii, int version, boolean builtIn) {
    static TypeView of(IdentifierType t) {
      return new TypeView(t.name(), t.scopeKind().wire(), t.strength().wire(), t.priority(), t.maxPerPerson(),
          t.windowDays(), t.junkPatterns(), t.pii().wire(), t.version(), t.builtIn());
    }
  }

  @GetMapping
  @Operation(summary = "Identifier types and their current rules, highest priority first")
  List<TypeView> list() {
    return types.list().stream().map(TypeView::of).toList();
  }

  @GetMapping("/{name}")
  TypeView get(@PathVariable String name) {
    return TypeView.of(types.get(name));
  }

  @GetMapping("/{name}/versions")
  @Operation(summary = "Every version of a type's rules")
  List<TypeView> versions(@PathVariable String name) {
    return types.history(name).stream().map(TypeView::of).toList();
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Add a brand identifier type (admin/operator)")
  TypeView add(@RequestBody IdentifierTypes.Change change) {
    Callers.requireOperator();
    return TypeView.of(types.add(change, Actors.current()));
  }

  @PutMapping("/{name}")
  @Operation(summary = "Change a type's rules; a new version is kept (admin/operator). Applies to new evidence; run a rebuild to apply it to the past")
  TypeView change(@PathVariable String name, @RequestBody IdentifierTypes.Change change) {
    Callers.requireOperator();
    return TypeView.of(types.change(name, change, Actors.current()));
  }
}
