package io.pond.platform.security;

/** A member signed in to the member center; it may call only {@code /api/v1/member/**}, as itself. */
public record MemberPrincipal(int personId) {

  /** The Spring Security authority of members (not a console {@link Role}: members never reach the management API). */
  public static final String AUTHORITY = "ROLE_MEMBER";

  /** The signed-in member of this request, or a 401 problem when the caller is not a member. */
  public static MemberPrincipal current() {
    var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.getPrincipal() instanceof MemberPrincipal member) {
      return member;
    }
    throw new io.pond.platform.errors.PondException(
        io.pond.platform.errors.ErrorCode.UNAUTHENTICATED, "Sign in to the member center first.", null);
  }
}
