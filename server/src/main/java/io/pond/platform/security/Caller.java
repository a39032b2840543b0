package io.pond.platform.security;

/**
 * Who is calling, as every module may need to know it.
 *
 * @param actor the name written to the audit log ({@code user:alice}, {@code key:12}, {@code system})
 * @param name the user name, or the server key's name
 * @param role what the caller may do; {@code null} only for {@code system}
 * @param scope which channels' data the caller may see
 */
public record Caller(String actor, String name, Role role, DataScope scope) {

  static final Caller SYSTEM = new Caller("system", "system", null, DataScope.allChannels());

  public boolean isUser() {
    return actor.startsWith("user:");
  }
}
