package io.pond.commerce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code pond import orders FILE --channel X} as an operator runs it. */
@ExtendWith(Cli.class)
class ImportCommandTest {

  private final Path dataDir = IsolatedStores.newDataDir("cli-import-" + UUID.randomUUID());





  @Test
  void an_export_is_imported_bad_rows_are_listed_and_a_second_import_changes_nothing() throws Exception {
    Path file = dataDir.resolve("jd-orders.csv");
    ImportBench.generate(file, 250, 7);
    Files.writeString(file, "=\"JD-BAD\",x,y,交易成功,abc,0,0,t,s,c,1,1.00,2024-01-01 00:00:00,,,\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);

    Cli.Run first = Cli.pond("import", "orders", file.toString(), "--channel", "jd", "--shop", "10088", "--no-progress",
        "--data-dir", dataDir.toString());
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    assertThat(first.out()).contains("250 orders (250 new, 0 changed, 0 unchanged), 1 bad rows");
    assertThat(first.err()).containsPattern("row \\d+: 买家实付金额: 'abc' is not an amount in yuan");

    Cli.Run second = Cli.pond("import", "orders", file.toString(), "--channel", "jd", "--shop", "10088", "--no-progress",
        "--data-dir", dataDir.toString());
    assertThat(second.out()).contains("250 orders (0 new, 0 changed, 250 unchanged)");
  }

  @Test
  void an_unknown_channel_or_missing_file_is_refused_before_touching_the_stores() {
    Cli.Run channel = Cli.pond("import", "orders", "x.csv", "--channel", "ebay", "--data-dir", dataDir.toString());
    assertThat(channel.code()).isEqualTo(2);
    assertThat(channel.err()).contains("--channel must be one of");
    Cli.Run missing = Cli.pond("import", "orders", dataDir.resolve("none.csv").toString(), "--channel", "jd");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Cannot read");
    assertThat(Cli.pond("--help").out()).contains("import", "bench");
  }
}
