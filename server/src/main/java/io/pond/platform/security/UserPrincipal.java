package io.pond.platform.security;

/** A console user behind a request, signed in with a session token or HTTP Basic. */
public record UserPrincipal(long userId, String username, Role role, DataScope scope) {}
