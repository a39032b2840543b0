package io.pond.platform.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.platform.user.domain.AccountChangePolicy;
import io.pond.platform.user.domain.AccountChangePolicy.Account;
import org.junit.jupiter.api.Test;

class AccountChangePolicyTest {

  private static final Account LAST_ADMIN = new Account("root", true, false);
  private static final Account OPERATOR = new Account("ops", false, false);

  @Test
  void the_last_enabled_admin_cannot_be_disabled_or_demoted() {
    assertThat(AccountChangePolicy.mayDisable(LAST_ADMIN, "someone-else", 1))
        .hasValueSatisfying(r -> assertThat(r.reason()).contains("last enabled admin"));
    assertThat(AccountChangePolicy.mayChangeRole(LAST_ADMIN, false, 1)).isPresent();
  }

  @Test
  void an_admin_can_be_disabled_or_demoted_while_another_admin_remains() {
    assertThat(AccountChangePolicy.mayDisable(LAST_ADMIN, "other-admin", 2)).isEmpty();
    assertThat(AccountChangePolicy.mayChangeRole(LAST_ADMIN, false, 2)).isEmpty();
    assertThat(AccountChangePolicy.mayChangeRole(LAST_ADMIN, true, 1)).isEmpty();
  }

  @Test
  void nobody_can_disable_their_own_account() {
    assertThat(AccountChangePolicy.mayDisable(OPERATOR, "ops", 3))
        .hasValueSatisfying(r -> assertThat(r.reason()).contains("your own account"));
    assertThat(AccountChangePolicy.mayDisable(OPERATOR, "root", 1)).isEmpty();
  }

  @Test
  void disabling_a_disabled_account_is_always_allowed_as_it_changes_nothing() {
    assertThat(AccountChangePolicy.mayDisable(new Account("root", true, true), "root", 0)).isEmpty();
  }
}
