package io.pond.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.IsolatedStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's key commands against a data dir, as an operator would run them. */
class PondCliTest {

  private final String dataDir = IsolatedStores.newDataDir("cli-" + UUID.randomUUID()).toString();

  record Run(int code, String out, String err) {}

  /** On PostgreSQL, all commands of one test share a fresh schema, as they would share a database. */
  @BeforeEach
  void sharedDatabase() {
    String url = System.getenv("POND_DB_URL");
    if (url != null) {
      System.setProperty("POND_DB_URL",
          IsolatedStores.newSchema(url, "postgres", "", "c_" + UUID.randomUUID().toString().substring(0, 8)));
    }
  }

  @AfterEach
  void forgetDatabase() {
    System.clearProperty("POND_DB_URL");
  }

  private static Run pond(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PondCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void help_lists_every_command() {
    Run help = pond("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("start", "keys", "test", "POND_");
    assertThat(pond("keys", "--help").out()).contains("create", "list", "revoke");
  }

  @Test
  void keys_are_created_listed_and_revoked() {
    Run created = pond("keys", "create", "--kind", "write", "--name", "web site", "--data-dir", dataDir);
    assertThat(created.code()).as(created.err()).isZero();
    Matcher m = Pattern.compile("Created write key (\\d+) 'web site'\\n(pond_wk_\\w{32})\\n").matcher(created.out());
    assertThat(m.find()).as(created.out()).isTrue();
    String id = m.group(1);
    String secret = m.group(2);

    Run server = pond("keys", "create", "--kind", "server", "--name", "ops", "--role", "operator", "--data-dir", dataDir);
    assertThat(server.code()).isZero();
    assertThat(server.out()).contains("pond_sk_");

    Run list = pond("keys", "list", "--data-dir", dataDir);
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("web site", "ops", "operator", secret.substring(0, 12)).doesNotContain(secret);
    assertThat(list.out().lines().filter(l -> l.contains("active"))).hasSize(2);

    Run revoke = pond("keys", "revoke", id, "--data-dir", dataDir);
    assertThat(revoke.code()).isZero();
    assertThat(revoke.out()).contains("Revoked write key " + id);
    assertThat(pond("keys", "list", "--data-dir", dataDir).out().lines().filter(l -> l.contains("revoked")))
        .hasSize(1);
  }

  @Test
  void bad_arguments_fail_with_a_message_and_a_non_zero_code() {
    Run badKind = pond("keys", "create", "--kind", "root", "--name", "x", "--data-dir", dataDir);
    assertThat(badKind.code()).isEqualTo(2);
    assertThat(badKind.err()).contains("--kind must be write or server");

    Run missing = pond("keys", "revoke", "424242", "--data-dir", dataDir);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("key 424242 does not exist");
  }
}
