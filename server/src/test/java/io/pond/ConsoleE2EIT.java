package io.pond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pond.support.IsolatedStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser: starts the packaged jar on a free port with its own data dir, then
 * runs every {@code console/e2e/*.test.mjs} (playwright-core driving Debian's chromium) against it.
 * Skipped, saying why, only when the jar has no console (built without Node or with
 * {@code -Dconsole.skip=true}) or chromium is missing; under CI ({@code CI=true}) a missing chromium
 * fails instead, since {@code .ci/run} installs it.
 */
class ConsoleE2EIT {

  private static final Path JAR = Path.of("target", "pond.jar").toAbsolutePath();
  private static final Path CONSOLE = Path.of("..", "console").toAbsolutePath().normalize();
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("POND_CHROMIUM", "/usr/bin/chromium"));
  private static final Pattern HEALTH_URL = Pattern.compile("Health\\s+http://localhost:(\\d+)/actuator/health");

  @Test
  void operators_find_customers_merge_and_split_them_browse_orders_adjust_points_and_manage_access() throws Exception {
    assertThat(JAR).exists();
    assumeTrue(jarHasConsole(), "console e2e skipped: the jar has no console (built without Node or with -Dconsole.skip=true)");
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (!Files.isExecutable(CHROMIUM)) {
      assertThat(ci).as("CI must run the console e2e tests, but %s is missing (.ci/run installs it)", CHROMIUM).isFalse();
      assumeTrue(false, "console e2e skipped: no chromium at " + CHROMIUM + " (apt-get install chromium)");
    }
    Path playwright = CONSOLE.resolve("node_modules/playwright-core");
    assertThat(playwright).as("npm ci in console/ installs playwright-core").exists();

    Path dataDir = IsolatedStores.newDataDir("console-e2e-" + UUID.randomUUID());
    String password = "e2e-" + UUID.randomUUID();
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
        "-jar", JAR.toString(), "start", "--port", "0"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("POND_DATA_DIR", dataDir.toString());
    builder.environment().put("POND_ADMIN_PASSWORD", password);
    String dbUrl = System.getenv("POND_DB_URL");
    if (dbUrl != null) {
      builder.environment().put("POND_DB_URL",
          IsolatedStores.newSchema(dbUrl, "postgres", "", "e_" + UUID.randomUUID().toString().substring(0, 8)));
    }
    Process pond = builder.start();
    // the reader belongs to the drain thread once the port is known; it ends when Pond's output does
    BufferedReader out = new BufferedReader(new InputStreamReader(pond.getInputStream(), StandardCharsets.UTF_8));
    try {
      int port = awaitPort(out);
      Thread.ofVirtual().start(() -> {
        try {
          out.lines().forEach(line -> {});
        } catch (java.io.UncheckedIOException closed) {
          // Pond stopped and its output was closed under the reader: nothing more to drain
        }
      });

      Path shots = Path.of("target", "e2e-screenshots").toAbsolutePath();
      // every e2e/*.test.mjs (console, member center…), one file after the other against this one Pond
      List<String> run = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1"));
      try (var files = Files.list(CONSOLE.resolve("e2e"))) {
        files.map(f -> "e2e/" + f.getFileName()).filter(f -> f.endsWith(".test.mjs")).sorted().forEach(run::add);
      }
      ProcessBuilder node = new ProcessBuilder(run)
          .directory(CONSOLE.toFile())
          .redirectErrorStream(true);
      node.environment().put("POND_URL", "http://localhost:" + port);
      node.environment().put("POND_ADMIN_PASSWORD", password);
      node.environment().put("POND_CHROMIUM", CHROMIUM.toString());
      node.environment().put("POND_E2E_SCREENSHOTS", shots.toString());
      Process tests = node.start();
      try {
        String report = new String(tests.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tests.waitFor(10, TimeUnit.MINUTES)).isTrue();
        System.out.println(report);
        assertThat(tests.exitValue()).as("console e2e report:%n%s", report).isZero();
        assertThat(report).contains("# fail 0").containsPattern("# pass [1-9]");
        assertThat(shots.resolve("users.png")).exists();
        assertThat(shots.resolve("member-home.png")).exists();
      } finally {
        tests.descendants().forEach(ProcessHandle::destroyForcibly);
        tests.destroyForcibly();
      }
    } finally {
      pond.destroy(); // SIGTERM: graceful shutdown; closes its output, which ends the drain thread
      if (!pond.waitFor(30, TimeUnit.SECONDS)) {
        pond.destroyForcibly();
      }
    }
  }

  /** Whether the server jar holds the console module's jar with a built {@code static/index.html}. */
  private static boolean jarHasConsole() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      var console = jar.stream().filter(e -> e.getName().matches("BOOT-INF/lib/pond-console-.*\\.jar")).findFirst();
      if (console.isEmpty()) {
        return false;
      }
      try (var nested = new java.util.jar.JarInputStream(jar.getInputStream(console.get()))) {
        for (var entry = nested.getNextJarEntry(); entry != null; entry = nested.getNextJarEntry()) {
          if (entry.getName().equals("static/index.html")) {
            return true;
          }
        }
      }
      return false;
    }
  }

  private static int awaitPort(BufferedReader out) throws IOException {
    StringBuilder seen = new StringBuilder();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
    String line;
    while (Instant.now().isBefore(deadline) && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = HEALTH_URL.matcher(line);
      if (m.find()) {
        assertThat(seen).as("the packaged jar serves the console").contains("Console ");
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("Pond did not start:\n" + seen);
  }
}
