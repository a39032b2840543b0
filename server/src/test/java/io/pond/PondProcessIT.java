package io.pond;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import io.pond.support.IsolatedStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged jar, started as an operator starts it: a separate process, settings from the environment. */
class PondProcessIT {

  private static final Path JAR = Path.of("target", "pond.jar").toAbsolutePath();
  private static final Pattern HEALTH_URL = Pattern.compile("Health\\s+http://localhost:(\\d+)/actuator/health");

  private ProcessBuilder pond(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    String dbUrl = System.getenv("POND_DB_URL");
    if (dbUrl != null && !env.containsKey("POND_DB_URL")) {
      builder.environment().put("POND_DB_URL",
          IsolatedStores.newSchema(dbUrl, "postgres", "", "p_" + UUID.randomUUID().toString().substring(0, 8)));
    }
    return builder;
  }

  @Test
  void the_jar_starts_answers_health_up_and_stops_cleanly() throws Exception {
    assertThat(JAR).exists();
    Path dataDir = IsolatedStores.newDataDir("process-" + UUID.randomUUID());
    ProcessBuilder server =
        pond(Map.of("POND_DATA_DIR", dataDir.toString(), "POND_ADMIN_PASSWORD", "process-test-pw"), "start", "--port", "0");
    Process process = server.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      int port = -1;
      StringBuilder seen = new StringBuilder();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
      String line;
      while (port < 0 && Instant.now().isBefore(deadline) && (line = out.readLine()) != null) {
        seen.append(line).append('\n');
        Matcher m = HEALTH_URL.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertThat(port).as("startup output:%n%s", seen).isPositive();
      assertThat(seen).contains("Pond is running").contains(dataDir.toString());

      Http http = new Http(port);
      Http.Response health = http.get("/actuator/health", null);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().get("status").asString()).isEqualTo("UP");
      assertThat(http.get("/api/v1/keys", Http.basic("admin", "process-test-pw")).status()).isEqualTo(200);

      // the README's next step: a key made by the CLI while the server runs on the same data directory
      Map<String, String> same = new java.util.HashMap<>(Map.of("POND_DATA_DIR", dataDir.toString()));
      if (server.environment().containsKey("POND_DB_URL")) {
        same.put("POND_DB_URL", server.environment().get("POND_DB_URL"));
      }
      Process keys = pond(same, "keys", "create", "--kind", "server", "--name", "my script").start();
      String printed = new String(keys.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(keys.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(keys.exitValue()).as(printed).isZero();
      Matcher secret = Pattern.compile("pond_sk_\\S+").matcher(printed);
      assertThat(secret.find()).as(printed).isTrue();
      assertThat(http.get("/api/v1/keys", "Bearer " + secret.group()).status()).isEqualTo(200);

      // a job that needs the event store while the server holds it is refused with a message, not a stack trace
      Path export = dataDir.resolve("orders.csv");
      Files.writeString(export, "订单编号,买家实付金额\n1,1.00\n", StandardCharsets.UTF_8);
      Process importing = pond(same, "import", "orders", export.toString(), "--channel", "taobao", "--no-progress").start();
      String refused = new String(importing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(importing.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(importing.exitValue()).as(refused).isEqualTo(1);
      assertThat(refused).contains("is open in another Pond process (PID " + process.pid() + ")", "POST /api/v1/orders/import")
          .doesNotContain("Exception", "\tat ");

      assertThat(Files.exists(dataDir.resolve("events.duckdb"))).isTrue();
      assertThat(Files.exists(dataDir.resolve("logs").resolve("pond.log"))).isTrue();
      assertThat(Files.readString(dataDir.resolve("logs").resolve("pond.log"))).startsWith("{"); // structured (ECS JSON)

      process.destroy(); // SIGTERM: graceful shutdown
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void a_bad_setting_stops_the_start_with_a_message_naming_it() throws Exception {
    Path dataDir = IsolatedStores.newDataDir("process-bad-" + UUID.randomUUID());
    Process process =
        pond(Map.of("POND_DATA_DIR", dataDir.toString(), "POND_TIMEZONE", "Mars/Olympus"), "start").start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(output).contains("Invalid setting POND_TIMEZONE: 'Mars/Olympus' is not a known time zone");
    assertThat(output).contains("Fix POND_TIMEZONE");
  }
}
