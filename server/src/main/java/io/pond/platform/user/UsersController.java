package io.pond.platform.user;

import io.pond.platform.security.CurrentCaller;
import io.pond.platform.security.DataScope;
import io.pond.platform.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Console users, for admins (the path is admin-only in the security configuration). */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "Console users, roles and channel data scopes (admin)")
class UsersController {

  private static final String ROLE = "admin|operator|analyst|viewer";
  private static final String ROLE_MESSAGE = "must be admin, operator, analyst or viewer";

  private final Users users;

  UsersController(Users users) {
    this.users = users;
  }

  record UserView(
      long id, String username, String role, List<String> channels, Instant createdAt, boolean disabled) {

    static UserView of(Users.User user) {
      return new UserView(
          user.id(),
          user.username(),
          user.role().wire(),
          user.scope().granted().map(s -> s.stream().sorted().toList()).orElse(null),
          user.createdAt(),
          user.disabled());
    }
  }

  record PageView(List<UserView> items, long total, long offset, int limit) {}

  /** @param channels the channels the user may see; absent or null for every channel */
  record CreateUserRequest(
      @NotBlank
          @Pattern(
              regexp = "[a-z0-9][a-z0-9._-]{1,63}",
              message = "2 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
          String username,
      @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password,
      @NotBlank @Pattern(regexp = ROLE, message = ROLE_MESSAGE) String role,
      @Size(max = 50) List<String> channels) {}

  record AccessRequest(
      @NotBlank @Pattern(regexp = ROLE, message = ROLE_MESSAGE) String role, @Size(max = 50) List<String> channels) {}

  record PasswordRequest(@NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password) {}

  @GetMapping
  @Operation(summary = "A page of users, in creation order")
  PageView list(
      @RequestParam(defaultValue = "0") @Min(0) long offset,
      @RequestParam(defaultValue = "20") @Min(1) @Max(200) int limit) {
    Users.Page page = users.page(offset, limit);
    return new PageView(page.items().stream().map(UserView::of).toList(), page.total(), offset, limit);
  }

  @GetMapping("/{id}")
  @Operation(summary = "One user")
  UserView get(@PathVariable long id) {
    return UserView.of(users.find(id).orElseThrow(() -> io.pond.platform.errors.PondException.notFound("user", id)));
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a user with a role and, optionally, the channels they may see")
  UserView create(@Valid @RequestBody CreateUserRequest request) {
    return UserView.of(
        users.create(
            request.username(),
            request.password(),
            Role.fromWire(request.role()),
            DataScope.ofNullable(request.channels()),
            CurrentCaller.get().actor()));
  }

  @PutMapping("/{id}/access")
  @Operation(summary = "Set a user's role and channel scope (channels absent or null: every channel)")
  UserView changeAccess(@PathVariable long id, @Valid @RequestBody AccessRequest request) {
    return UserView.of(
        users.changeAccess(
            id, Role.fromWire(request.role()), DataScope.ofNullable(request.channels()), CurrentCaller.get().actor()));
  }

  @PostMapping("/{id}/password")
  @Operation(summary = "Set a new password; the user's open sessions end")
  UserView resetPassword(@PathVariable long id, @Valid @RequestBody PasswordRequest request) {
    return UserView.of(users.resetPassword(id, request.password(), CurrentCaller.get().actor()));
  }

  @PostMapping("/{id}/disable")
  @Operation(summary = "Disable a user: they can no longer sign in and their sessions end")
  UserView disable(@PathVariable long id) {
    var caller = CurrentCaller.get();
    return UserView.of(users.disable(id, caller.isUser() ? caller.name() : null, caller.actor()));
  }

  @PostMapping("/{id}/enable")
  @Operation(summary = "Enable a disabled user again")
  UserView enable(@PathVariable long id) {
    return UserView.of(users.enable(id, CurrentCaller.get().actor()));
  }
}
