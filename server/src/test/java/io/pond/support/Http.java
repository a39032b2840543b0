package io.pond.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for end-to-end tests against a running Pond. */
public final class Http {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(int port) {
    this.base = "http://localhost:" + port;
  }

  public record Response(int status, String contentType, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    /** The problem+json {@code code}, or null. */
    public String code() {
      JsonNode code = json().get("code");
      return code == null ? null : code.asString();
    }
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public static String bearer(String key) {
    return "Bearer " + key;
  }

  /** Creates a console user with {@code role} (as {@code admin}) and signs it in: its bearer authorization. */
  public String signedInUser(String admin, String role) {
    String name = role + "-" + System.nanoTime();
    String login = "{\"username\":\"" + name + "\",\"password\":\"password-123\"}";
    Response created = post("/api/v1/users", admin, login.replace("}", ",\"role\":\"" + role + "\"}"));
    if (created.status() != 201) {
      throw new AssertionError("user not created: " + created.status() + " " + created.body());
    }
    return bearer(post("/api/v1/auth/login", null, login).json().get("token").asString());
  }

  public Response get(String path, String authorization) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), authorization);
  }

  public Response post(String path, String authorization, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        authorization);
  }

  public Response put(String path, String authorization, String json) {
    return send("PUT", path, authorization, json);
  }

  /** Any method with a JSON body (PUT, PATCH, DELETE…). */
  public Response send(String method, String path, String authorization, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json)),
        authorization);
  }

  private Response send(HttpRequest.Builder request, String authorization) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
