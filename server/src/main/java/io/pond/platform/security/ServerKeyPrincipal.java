package io.pond.platform.security;

/** The caller behind a server key. */
public record ServerKeyPrincipal(long keyId, String name, Role role) {}
