package io.pond.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CLI's key commands against a data dir, as an operator would run them. */
@ExtendWith(Cli.class)
class PondCliTest {

  private final String dataDir = IsolatedStores.newDataDir("cli-" + UUID.randomUUID()).toString();





  @Test
  void help_lists_every_command() {
    Cli.Run help = Cli.pond("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("start", "keys", "test", "POND_");
    assertThat(Cli.pond("keys", "--help").out()).contains("create", "list", "revoke");
  }

  @Test
  void keys_are_created_listed_and_revoked() {
    Cli.Run created = Cli.pond("keys", "create", "--kind", "write", "--name", "web site", "--data-dir", dataDir);
    assertThat(created.code()).as(created.err()).isZero();
    Matcher m = Pattern.compile("Created write key (\\d+) 'web site'\\n(pond_wk_\\w{32})\\n").matcher(created.out());
    assertThat(m.find()).as(created.out()).isTrue();
    String id = m.group(1);
    String secret = m.group(2);

    Cli.Run server = Cli.pond("keys", "create", "--kind", "server", "--name", "ops", "--role", "operator", "--data-dir", dataDir);
    assertThat(server.code()).isZero();
    assertThat(server.out()).contains("pond_sk_");

    Cli.Run list = Cli.pond("keys", "list", "--data-dir", dataDir);
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("web site", "ops", "operator", secret.substring(0, 12)).doesNotContain(secret);
    assertThat(list.out().lines().filter(l -> l.contains("active"))).hasSize(2);

    Cli.Run revoke = Cli.pond("keys", "revoke", id, "--data-dir", dataDir);
    assertThat(revoke.code()).isZero();
    assertThat(revoke.out()).contains("Revoked write key " + id);
    assertThat(Cli.pond("keys", "list", "--data-dir", dataDir).out().lines().filter(l -> l.contains("revoked")))
        .hasSize(1);
  }

  @Test
  void bad_arguments_fail_with_a_message_and_a_non_zero_code() {
    Cli.Run badKind = Cli.pond("keys", "create", "--kind", "root", "--name", "x", "--data-dir", dataDir);
    assertThat(badKind.code()).isEqualTo(2);
    assertThat(badKind.err()).contains("--kind must be write or server");

    Cli.Run missing = Cli.pond("keys", "revoke", "424242", "--data-dir", dataDir);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("key 424242 does not exist");
  }
}
