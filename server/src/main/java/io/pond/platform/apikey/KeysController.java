package io.pond.platform.apikey;

import io.pond.platform.apikey.domain.ApiKey;
import io.pond.platform.apikey.domain.KeyKind;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.pond.platform.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Keys", description = "Write keys (ingestion sources) and server keys (management API)")
class KeysController {

  private final ApiKeys keys;

  KeysController(ApiKeys keys) {
    this.keys = keys;
  }

  record CreateKeyRequest(
      @NotBlank @Pattern(regexp = "write|server", message = "must be 'write' or 'server'") String kind,
      @NotBlank @Size(max = 100) String name,
      @Size(max = 100) String source,
      @Pattern(regexp = "admin|operator|analyst|viewer", message = "must be admin, operator, analyst or viewer")
          String role) {}

  record KeyView(
      long id,
      String kind,
      String name,
      String source,
      String role,
      String prefix,
      Instant createdAt,
      String createdBy,
      Instant revokedAt) {

    static KeyView of(ApiKey key) {
      return new KeyView(
          key.id(),
          key.kind().wire(),
          key.name(),
          key.source().map(ApiKey.Source::name).orElse(null),
          key.role().orElse(null),
          key.prefix(),
          key.createdAt(),
          key.createdBy(),
          key.revokedAt().orElse(null));
    }
  }

  record CreatedKeyView(KeyView key, String secret) {}

  record SourceView(long id, String name) {}

  @PostMapping("/keys")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a key; the secret is in this answer only")
  CreatedKeyView create(@Valid @RequestBody CreateKeyRequest request) {
    KeyKind kind = KeyKind.fromWire(request.kind());
    if (kind == KeyKind.WRITE && request.role() != null) {
      throw PondException.invalid("role", "a write key has no role");
    }
    var created =
        keys.create(
            new ApiKeys.NewKey(
                kind, request.name(), request.source(), request.role() == null ? null : Role.fromWire(request.role())),
            Actors.current());
    return new CreatedKeyView(KeyView.of(created.key()), created.secret());
  }

  @GetMapping("/keys")
  @Operation(summary = "List keys, revoked ones included, without secrets")
  List<KeyView> list() {
    return keys.list().stream().map(KeyView::of).toList();
  }

  @PostMapping("/keys/{id}/revoke")
  @Operation(summary = "Revoke a key; it is refused from then on")
  KeyView revoke(@PathVariable long id) {
    return KeyView.of(keys.revoke(id, Actors.current()));
  }

  @GetMapping("/sources")
  @Operation(summary = "List ingestion sources")
  List<SourceView> sources() {
    return keys.sources().stream().map(s -> new SourceView(s.id(), s.name())).toList();
  }
}
