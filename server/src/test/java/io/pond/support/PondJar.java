package io.pond.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged jar ({@code target/pond.jar}) as a separate process, for {@code *IT} tests. */
public final class PondJar {

  public static final Path JAR = Path.of("target", "pond.jar").toAbsolutePath();
  private static final Pattern HEALTH_URL = Pattern.compile("Health\\s+http://localhost:(\\d+)/actuator/health");

  private PondJar() {}

  /** A started server and the port it listens on. */
  public record Server(Process process, int port) {
    /** SIGKILL on Linux: no shutdown hooks run, nothing is flushed. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the server did not die");
      }
    }
  }

  /** What a command printed and its exit code. */
  public record Run(int exitCode, String output) {}

  private static ProcessBuilder builder(Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder;
  }

  /** Starts {@code pond start --port 0} and waits until it reports its health URL. */
  public static Server start(Map<String, String> env) throws IOException {
    Process process = builder(env, List.of("start", "--port", "0")).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(600));
    StringBuilder seen = new StringBuilder();
    for (String line; Instant.now().isBefore(deadline) && (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher health = HEALTH_URL.matcher(line);
      if (health.find()) {
        Thread drain = new Thread(() -> drain(out), "pond-console");
        drain.setDaemon(true);
        drain.start();
        return new Server(process, Integer.parseInt(health.group(1)));
      }
    }
    process.destroyForcibly();
    throw new AssertionError("Pond did not start:\n" + seen);
  }

  /** Keeps the pipe empty so that the server never blocks writing to its console. */
  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discard
      }
    } catch (IOException processDied) {
      // nothing left to read
    }
  }

  /** Runs a CLI command to its end. */
  public static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Process process = builder(env, List.of(args)).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("pond " + String.join(" ", args) + " did not finish:\n" + output);
    }
    return new Run(process.exitValue(), output);
  }
}
