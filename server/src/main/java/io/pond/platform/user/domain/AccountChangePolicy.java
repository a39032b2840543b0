package io.pond.platform.user.domain;

import java.util.Optional;

/**
 * Which changes to a console account an administrator may make. Pond must always keep someone who
 * can manage users: the last enabled admin can be neither disabled nor given a lesser role, and an
 * admin cannot disable their own account (they would be locked out mid-session).
 */
public final class AccountChangePolicy {

  private AccountChangePolicy() {}

  /** An account as the policy sees it. */
  public record Account(String username, boolean admin, boolean disabled) {}

  /** Why a change is refused, for the operator. */
  public record Refusal(String reason) {}

  /**
   * @param enabledAdmins how many enabled admins exist now, the target included if it is one
   */
  public static Optional<Refusal> mayDisable(Account target, String actingUsername, long enabledAdmins) {
    if (target.disabled()) {
      return Optional.empty();
    }
    if (target.username().equals(actingUsername)) {
      return Optional.of(new Refusal("You cannot disable your own account."));
    }
    if (target.admin() && enabledAdmins <= 1) {
      return Optional.of(new Refusal("'" + target.username() + "' is the last enabled admin."));
    }
    return Optional.empty();
  }

  public static Optional<Refusal> mayChangeRole(Account target, boolean staysAdmin, long enabledAdmins) {
    if (target.admin() && !staysAdmin && !target.disabled() && enabledAdmins <= 1) {
      return Optional.of(
          new Refusal("'" + target.username() + "' is the last enabled admin; make another admin first."));
    }
    return Optional.empty();
  }
}
